package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import io.freshcache.Version;
import io.freshcache.event.EventKeys;
import io.freshcache.redis.RedisBus;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mapping with a value and a version column: rows changed with plain JDBC reach three instances
 * (real Redis bus) as {@code update} events, so every instance holding the key at an older version
 * holds the new value without loading it; an older version does not overwrite a newer one; tags
 * still invalidate, deletes still delete, and a table mapped without a value still invalidates.
 */
class CdcUpdateIT {

  record Item(long id, String name, int categoryId, long version) {}

  private static final EventKeys KEYS =
      EventKeys.signingWith(
          "cdc-it", "a secret of the tests, 32 bytes".getBytes(StandardCharsets.UTF_8));

  private static String url;
  private static String namespace;
  private static final List<CacheGroup> groups = new ArrayList<>();
  private static final List<FreshCache<Long, Item>> items = new ArrayList<>();
  private static final List<FreshCache<Integer, String>> listings = new ArrayList<>();
  private static final List<FreshCache<String, Integer>> coupons = new ArrayList<>();
  private static final AtomicInteger itemLoads = new AtomicInteger();
  private static final AtomicInteger couponLoads = new AtomicInteger();
  private static PgChangeCapture capture;
  private static final List<AtomicInteger> lossesSeen = new ArrayList<>();

  @BeforeAll
  static void start() {
    url = PrivatePostgres.shared().newDatabase("update");
    Sql.run(
        url,
        "create table items (id bigint primary key, name text not null, category_id int not"
            + " null, version bigint not null)",
        "alter table items replica identity full",
        "insert into items select g, 'i' || g, 1 + g % 3, 1 from generate_series(1, 50) g",
        "create table coupons (code text primary key, percent int)",
        "insert into coupons values ('A', 5), ('B', 10)");
    namespace = "cdcupd-" + Long.toString(System.nanoTime(), 36);
    for (int i = 0; i < 3; i++) {
      CacheGroup g =
          CacheGroup.builder(namespace)
              .instanceId("instance-" + i)
              .eventKeys(KEYS)
              .bus(RedisBus.builder(Fleet.REDIS).keyPrefix(Fleet.PREFIX))
              .build();
      groups.add(g);
      AtomicInteger seen = new AtomicInteger();
      lossesSeen.add(seen);
      g.subscribe(
          PgChangeCapture.EVENT_TYPE,
          event -> {
            if (event.data().containsKey("loss")) {
              seen.incrementAndGet();
            }
            return List.of();
          });
      items.add(
          g.cache("items", Long.class, Item.class)
              .keyPrefix("item:")
              .source(
                  id -> {
                    itemLoads.incrementAndGet();
                    return item(id);
                  })
              .version(Item::version)
              .tags((id, item) -> Tags.of("category:" + item.categoryId()))
              .build());
      listings.add(
          g.cache("listings", Integer.class, String.class)
              .keyPrefix("listing:")
              .source(
                  category ->
                      Sql.text(
                          url,
                          "select coalesce(string_agg(name, ',' order by id), '') from items where"
                              + " category_id = "
                              + category))
              .tags((category, names) -> Tags.of("category:" + category))
              .build());
      coupons.add(
          g.cache("coupons", String.class, Integer.class)
              .keyPrefix("coupon:")
              .source(
                  code -> {
                    couponLoads.incrementAndGet();
                    return (int)
                        Sql.number(url, "select percent from coupons where code = '" + code + "'");
                  })
              .build());
    }
    capture =
        PgChangeCapture.builder(namespace, url)
            .bus(RedisBus.builder(Fleet.REDIS).keyPrefix(Fleet.PREFIX))
            .eventKeys(KEYS)
            .map(
                TableMapping.table("items")
                    .key("item:{id}")
                    .tag("category:{category_id}")
                    .version("version")
                    .value(
                        row ->
                            new Item(
                                row.number("id"),
                                row.text("name"),
                                row.number("category_id").intValue(),
                                row.number("version"))))
            .map(TableMapping.table("coupons").key("coupon:{code}"))
            .start();
    // the first start is a loss: every instance clears, and must have before the tests load
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lossesSeen.stream().allMatch(seen -> seen.get() == 1));
  }

  @AfterAll
  static void stop() {
    if (capture != null) {
      capture.close();
    }
    groups.forEach(CacheGroup::close);
    Fleet.deleteKeys(namespace);
  }

  static Item item(long id) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s =
            c.prepareStatement("select id, name, category_id, version from items where id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no item " + id);
        }
        return new Item(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4));
      }
    }
  }

  /** Waits until every instance holds item {@code id} at {@code version}. */
  private static void awaitHeld(long id, long version) {
    for (FreshCache<Long, Item> cache : items) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Item held = cache.getIfPresent(id);
                return held != null && held.version() == version;
              });
    }
  }

  @Test
  void anUpdateLeavesEveryInstanceHoldingTheNewValueWithoutALoad() {
    items.forEach(c -> assertThat(c.get(1L).name()).isEqualTo("i1"));
    listings.forEach(l -> assertThat(l.get(2)).contains("i1")); // 1 % 3 + 1
    int loads = itemLoads.get();

    Sql.run(url, "update items set name = 'renamed', version = version + 1 where id = 1");

    awaitHeld(1L, 2);
    for (FreshCache<Long, Item> cache : items) {
      assertThat(cache.getIfPresent(1L)).isEqualTo(new Item(1, "renamed", 2, 2));
      assertThat(cache.get(1L).name()).isEqualTo("renamed");
    }
    assertThat(itemLoads.get()).as("no instance loaded item 1 again").isEqualTo(loads);
    // the row's tag still invalidates what derives from the category
    for (FreshCache<Integer, String> l : listings) {
      await().atMost(Duration.ofSeconds(10)).until(() -> l.getIfPresent(2) == null);
      assertThat(l.get(2)).contains("renamed").doesNotContain("i1,");
    }
  }

  @Test
  void anInsertedRowIsNotWrittenWhereNobodyHeldItAndAMovedKeyIsWrittenUnderItsNewName() {
    // item 60 is not held anywhere: an update does not add entries, the next read loads it
    Sql.run(url, "insert into items values (60, 'new', 1, 1)");
    // item 4 changes its id: the old key is deleted, the new one written where held
    items.forEach(c -> c.get(4L));
    Sql.run(url, "update items set id = 61, version = version + 1 where id = 4");
    for (FreshCache<Long, Item> cache : items) {
      await().atMost(Duration.ofSeconds(10)).until(() -> cache.getIfPresent(4L) == null);
      assertThat(cache.getIfPresent(60L)).isNull();
      assertThat(cache.get(60L).name()).isEqualTo("new");
      assertThat(cache.get(61L).version()).isEqualTo(2);
    }
  }

  @Test
  void anOlderVersionDoesNotOverwriteANewerOne() {
    items.forEach(c -> c.get(5L));
    awaitHeld(5L, 1);
    // instance 0 holds version 9 (written by the application, not yet in the database)
    items.get(0).put(5L, new Item(5, "newer", 3, 9), Version.of(9));
    assertThat(items.get(0).getIfPresent(5L).version()).isEqualTo(9);

    Sql.run(url, "update items set name = 'older', version = 5 where id = 5");
    // a later change, written as a value: once every instance holds it, the first one arrived too
    items.forEach(c -> c.get(6L));
    Sql.run(url, "update items set name = 'marker', version = version + 1 where id = 6");
    awaitHeld(6L, 2);

    for (FreshCache<Long, Item> cache : items) {
      Item held = cache.getIfPresent(5L);
      assertThat(held == null ? null : held.name())
          .as("version 5 replaced nothing newer, and whatever held version 9 was invalidated")
          .isNotEqualTo("older");
    }
    assertThat(items.get(0).getIfPresent(5L))
        .as("an older update invalidates the newer entry")
        .isNull();
  }

  @Test
  void aDeleteDeletes() {
    items.forEach(c -> c.get(7L));
    Sql.run(url, "delete from items where id = 7");
    for (FreshCache<Long, Item> cache : items) {
      await().atMost(Duration.ofSeconds(10)).until(() -> cache.getIfPresent(7L) == null);
    }
  }

  @Test
  void aTableMappedWithoutAValueStillInvalidates() {
    coupons.forEach(c -> assertThat(c.get("B")).isEqualTo(10));
    int loads = couponLoads.get();
    Sql.run(url, "update coupons set percent = 15 where code = 'B'");
    for (FreshCache<String, Integer> c : coupons) {
      await().atMost(Duration.ofSeconds(10)).until(() -> c.getIfPresent("B") == null);
      assertThat(c.get("B")).isEqualTo(15);
    }
    assertThat(couponLoads.get()).isEqualTo(loads + 3);
  }

  @Test
  void aGroupWithoutTheKeysOnlyInvalidates() {
    CacheGroup unsigned =
        CacheGroup.builder(namespace)
            .instanceId("no-keys")
            .bus(RedisBus.builder(Fleet.REDIS).keyPrefix(Fleet.PREFIX))
            .build();
    try {
      AtomicInteger loads = new AtomicInteger();
      FreshCache<Long, Item> cache =
          unsigned
              .cache("items", Long.class, Item.class)
              .keyPrefix("item:")
              .source(
                  id -> {
                    loads.incrementAndGet();
                    return item(id);
                  })
              .version(Item::version)
              .build();
      items.forEach(c -> c.get(8L));
      cache.get(8L);
      Sql.run(url, "update items set name = 'signed only', version = version + 1 where id = 8");
      awaitHeld(8L, 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> cache.getIfPresent(8L) == null);
      assertThat(cache.get(8L).name()).isEqualTo("signed only");
      assertThat(loads).hasValue(2);
    } finally {
      unsigned.close();
    }
  }
}
