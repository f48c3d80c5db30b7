package io.freshcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.InProcessBus;
import io.freshcache.Refresh;
import io.freshcache.event.EventKeys;
import io.freshcache.event.Invalidation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The public javadoc's examples, as written there, compiled and run against the public API. */
class JavadocExamplesTest {

  record Product(long id, String name) {}

  record User(long id, String name) {}

  private final Map<Long, Product> repository = new ConcurrentHashMap<>();

  private Product find(Long id) {
    return repository.get(id);
  }

  /** {@code CacheGroup}'s class javadoc (and {@code CacheGroupBuilder}'s first line). */
  @Test
  void theCacheGroupExample() throws Exception {
    repository.put(7L, new Product(7, "kettle"));
    try (InProcessBus bus = new InProcessBus()) {
      CacheGroup shop = CacheGroup.builder("shop").bus(bus).build();
      FreshCache<Long, Product> products =
          shop.cache("products", Long.class, Product.class)
              .keyPrefix("product:")
              .source(this::find)
              .build();
      shop.invalidateTag("warehouse:1");
      shop.invalidatePattern("product:7*");
      AutoCloseable handler =
          shop.subscribe("product.*", event -> List.of(Invalidation.tags("catalog")));

      assertThat(products.get(7L)).isEqualTo(new Product(7, "kettle"));
      shop.invalidatePattern("product:7*");
      assertThat(products.getIfPresent(7L)).isNull();
      handler.close();
      shop.close();
    }
  }

  /** {@code FreshCacheBuilder}'s class javadoc. */
  @Test
  void theFreshCacheBuilderExample() {
    Map<Long, User> rows = Map.of(1L, new User(1, "ada"));
    UserRepository userRepository = rows::get;

    FreshCache<Long, User> users =
        FreshCache.builder("users", Long.class, User.class)
            .maximumSize(100_000)
            .expiry(Expiry.ttl(Duration.ofHours(1)).jitter(0.2))
            .refresh(Refresh.ahead(0.8).staleIfError(Duration.ofMinutes(5)))
            .source(userRepository::load)
            .build();

    assertThat(users.get(1L).name()).isEqualTo("ada");
  }

  interface UserRepository {
    User load(Long id);
  }

  /** {@code EventKeys}'s class javadoc. */
  @Test
  void theEventKeysExample() {
    byte[] secret = "0123456789abcdef-old".getBytes(StandardCharsets.UTF_8);
    byte[] next = "0123456789abcdef-new".getBytes(StandardCharsets.UTF_8);

    EventKeys keys = EventKeys.signingWith("2024-06", secret); // one key
    EventKeys rolling =
        EventKeys.signingWith("2024-07", next) // a rollover:
            .alsoAccepting("2024-06", secret); // old still accepted

    String signedWithOld = keys.sign("{\"type\":\"a.b\"}");
    assertThat(rolling.verify(EventKeys.split(signedWithOld))).isTrue();
    assertThat(rolling.signingKeyId()).isEqualTo("2024-07");
  }
}
