package io.freshcache.test;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.DependsOn;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.event.EventKeys;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.test.KitDatabase.Product;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One application instance of the kit's fleet: a group on its own bus connection (and shared tier
 * connection, if the kit gives one), holding four caches over the shared database. {@code feeds}
 * are derived from {@code users}, {@code dashboards} from {@code feeds}; users of org 42 and
 * products of warehouse 1 carry tags. Every instance signs with the same {@link #KEYS}, so updates
 * carry values and versions between them.
 */
public final class KitInstance implements AutoCloseable {

  /** The id of the key every instance of the kit signs with. */
  public static final String KEY_ID = "kit-1";

  /** Its secret, for tests that sign a raw message by the recipe. */
  public static final byte[] SECRET =
      "kit secret, 32 bytes or so, ok!!".getBytes(StandardCharsets.UTF_8);

  /** The keys every instance of the kit's fleet shares. */
  public static final EventKeys KEYS = EventKeys.signingWith(KEY_ID, SECRET);

  public final CacheGroup group;
  public final FreshCache<String, String> users;
  public final FreshCache<Long, Product> products;
  public final FreshCache<String, String> feeds;
  public final FreshCache<String, String> dashboards;

  KitInstance(String namespace, String id, InvalidationBus bus, SharedTier tier, KitDatabase db) {
    CacheGroupBuilder builder =
        CacheGroup.builder(namespace).bus(bus).instanceId(id).eventKeys(KEYS);
    group = (tier == null ? builder : builder.shared(tier)).build();
    users =
        group
            .cache("users", String.class, String.class)
            .keyPrefix("user:")
            .expiry(Expiry.ttl(Duration.ofHours(1)))
            .source(db::user)
            .tags((k, v) -> k.startsWith("42-") ? Tags.of("org:42") : Tags.of())
            .build();
    products =
        group
            .cache("products", Long.class, Product.class)
            .keyPrefix("product:")
            .expiry(Expiry.ttl(Duration.ofHours(1)))
            .source(db::product)
            .version(Product::version)
            .tags((k, v) -> k % 2 == 1 ? Tags.of("warehouse:1") : Tags.of("warehouse:2"))
            .build();
    feeds =
        group
            .cache("feeds", String.class, String.class)
            .keyPrefix("feed:")
            .source(id2 -> "feed(" + users.get(id2) + ")")
            .dependsOn((k, v) -> DependsOn.keys("user:" + k))
            .build();
    dashboards =
        group
            .cache("dashboards", String.class, String.class)
            .keyPrefix("dashboard:")
            .source(id2 -> "dashboard(" + feeds.get(id2) + ")")
            .dependsOn((k, v) -> DependsOn.keys("feed:" + k))
            .build();
  }

  @Override
  public void close() {
    group.close();
  }
}
