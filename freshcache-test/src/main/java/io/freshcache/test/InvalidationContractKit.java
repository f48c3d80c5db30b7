package io.freshcache.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.DependsOn;
import io.freshcache.FreshCache;
import io.freshcache.Version;
import io.freshcache.VersionConflictException;
import io.freshcache.Writes;
import io.freshcache.event.Invalidation;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.test.KitDatabase.Product;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The invalidation contract, stated once for every bus: four instances of one group, each with four
 * caches, over one database. Each invalidation kind, event type and write policy must take effect
 * on every instance and every cache; bad input must change nothing; the stale-fill race must stay
 * closed across instances.
 *
 * <p>A bus implementation subclasses this and says how an instance connects ({@link #connect}).
 * Effects on other instances are awaited ({@link #eventually}), so the kit fits asynchronous buses;
 * effects on the acting instance are asserted at once (read-your-writes).
 */
public abstract class InvalidationContractKit {

  protected static final int INSTANCES = 4;

  protected final KitDatabase db = new KitDatabase();
  protected final List<KitInstance> fleet = new ArrayList<>();
  protected final List<InvalidationBus> connections = new ArrayList<>();
  protected final List<SharedTier> tiers = new ArrayList<>();
  protected String namespace;

  /** A new bus connection for one instance (standing for one process) of {@code namespace}. */
  protected abstract InvalidationBus connect(String namespace);

  /**
   * A new shared tier connection for one instance of {@code namespace}, or null (the default) for a
   * fleet without a shared tier.
   */
  protected SharedTier sharedTier(String namespace) {
    return null;
  }

  /** Waits until {@code assertion} holds on other instances; a bus's propagation bound applies. */
  protected void eventually(ThrowingRunnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(2))
        .pollDelay(Duration.ZERO)
        .ignoreExceptions()
        .untilAsserted(assertion);
  }

  /**
   * Whether the cache holds a live entry for the key: asked of its analytics, which neither load
   * nor depend on the bus vouching for local hits right now.
   */
  protected static <K> boolean held(FreshCache<K, ?> cache, K key) {
    return cache.analytics().key(key).isPresent();
  }

  @BeforeEach
  void startFleet() {
    namespace = Namespaces.next("kit", getClass());
    for (int i = 0; i < 10; i++) {
      db.users.put(String.valueOf(i), "user" + i + "-v1");
      db.users.put("42-" + i, "member" + i + "-v1");
      db.products.put((long) i, new Product("p" + i, 100 + i, 1));
    }
    for (int i = 0; i < INSTANCES; i++) {
      InvalidationBus bus = connect(namespace);
      connections.add(bus);
      SharedTier tier = sharedTier(namespace);
      if (tier != null) {
        tiers.add(tier);
      }
      fleet.add(new KitInstance(namespace, "instance-" + i, bus, tier, db));
    }
  }

  @AfterEach
  void stopFleet() {
    fleet.forEach(KitInstance::close);
    connections.forEach(InvalidationBus::close);
    tiers.forEach(SharedTier::close);
  }

  private void warmEveryInstance() {
    for (KitInstance instance : fleet) {
      for (int i = 0; i < 10; i++) {
        instance.users.get(String.valueOf(i));
        instance.users.get("42-" + i);
        instance.products.get((long) i);
        instance.dashboards.get(String.valueOf(i));
      }
    }
  }

  // ---------------------------------------------------------------- invalidation kinds

  @Test
  void keyInvalidationReachesEveryInstance() {
    warmEveryInstance();
    db.users.put("1", "user1-v2");
    fleet.get(0).users.invalidate("1");

    assertThat(held(fleet.get(0).users, "1")).isFalse();
    for (KitInstance instance : fleet) {
      eventually(() -> assertThat(held(instance.users, "1")).isFalse());
      assertThat(instance.users.get("1")).isEqualTo("user1-v2");
      eventually(() -> assertThat(instance.users.getIfPresent("2")).isEqualTo("user2-v1"));
    }
  }

  @Test
  void manyKeysInvalidationReachesEveryInstanceAndEveryCache() {
    warmEveryInstance();
    fleet.get(1).group.invalidateKeys("user:3", "product:4", "user:42-1");
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            assertThat(held(instance.users, "3")).isFalse();
            assertThat(held(instance.users, "42-1")).isFalse();
            assertThat(held(instance.products, 4L)).isFalse();
          });
      assertThat(held(instance.users, "4")).isTrue();
      assertThat(held(instance.products, 3L)).isTrue();
    }
  }

  @Test
  void allInvalidationEmptiesEveryCacheOnEveryInstance() {
    warmEveryInstance();
    fleet.get(2).group.invalidateAll();
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            assertThat(held(instance.users, "1")).isFalse();
            assertThat(held(instance.products, 1L)).isFalse();
            assertThat(held(instance.feeds, "1")).isFalse();
            assertThat(held(instance.dashboards, "1")).isFalse();
          });
    }
  }

  @Test
  void tagInvalidationReachesEveryTaggedEntryOnEveryInstance() {
    warmEveryInstance();
    fleet.get(3).group.invalidateTag("org:42", "warehouse:1");
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            for (int i = 0; i < 10; i++) {
              assertThat(held(instance.users, "42-" + i)).isFalse();
              assertThat(!held(instance.products, (long) i)).isEqualTo(i % 2 == 1);
            }
          });
      eventually(() -> assertThat(instance.users.getIfPresent("1")).isEqualTo("user1-v1"));
    }
  }

  @Test
  void anEntryPutWithATagAfterTheInvalidationSurvivesIt() {
    fleet.get(0).group.invalidateTag("org:42");
    fleet.get(0).users.get("42-1");
    assertThat(held(fleet.get(0).users, "42-1")).isTrue();
  }

  @Test
  void patternInvalidationReachesEveryMatchingKeyOnEveryInstance() {
    warmEveryInstance();
    fleet.get(0).group.invalidatePattern("user:42-*");
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            for (int i = 0; i < 10; i++) {
              assertThat(held(instance.users, "42-" + i)).isFalse();
            }
          });
      assertThat(held(instance.users, "4")).isTrue();
      assertThat(held(instance.products, 4L)).isTrue();
    }
  }

  @Test
  void cascadeInvalidatesEveryTransitiveDependentOnEveryInstance() {
    warmEveryInstance();
    db.users.put("5", "user5-v2");
    fleet.get(1).group.invalidateCascade("user:5");
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            assertThat(held(instance.users, "5")).isFalse();
            assertThat(held(instance.feeds, "5")).isFalse();
            assertThat(held(instance.dashboards, "5")).isFalse();
          });
      assertThat(held(instance.dashboards, "6")).isTrue();
      assertThat(instance.dashboards.get("5")).isEqualTo("dashboard(feed(user5-v2))");
    }
  }

  // ---------------------------------------------------------------- domain events

  @Test
  void userUpdatedWithADeletePayloadAndAHandlerReachesEveryInstance() {
    warmEveryInstance();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    for (KitInstance instance : fleet) {
      instance.group.subscribe(
          "user.updated",
          event -> {
            handled
                .computeIfAbsent(instance.group.instanceId(), k -> new AtomicInteger())
                .incrementAndGet();
            Integer userId = (Integer) event.data().get("user_id");
            return List.of(Invalidation.cascade("user:" + userId));
          });
    }
    db.users.put("7", "user7-v2");
    // A Long on the publisher: every instance's handler, the publisher's included, sees one type.
    fleet.get(0).group.publish("user.updated", Invalidation.keys("user:7"), Map.of("user_id", 7L));

    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            assertThat(handled.get(instance.group.instanceId())).hasValue(1);
            assertThat(held(instance.users, "7")).isFalse();
            assertThat(held(instance.dashboards, "7")).isFalse();
          });
    }
  }

  @Test
  void productPriceChangedWithAnUpdatePayloadReplacesOlderEntriesEverywhere() {
    warmEveryInstance();
    int readsBefore = db.reads.get();
    Product repriced = db.reprice(3, 999);
    fleet
        .get(0)
        .group
        .publish(
            "product.price_changed",
            new Invalidation.Update(
                null,
                List.of("product:3"),
                Map.of("product:3", Map.of("name", "p3", "priceCents", 999, "version", 2)),
                OptionalLong.of(2)),
            Map.of("product_id", 3));

    for (KitInstance instance : fleet) {
      eventually(() -> assertThat(instance.products.getIfPresent(3L)).isEqualTo(repriced));
    }
    assertThat(db.reads.get()).isEqualTo(readsBefore); // replaced in place, nothing reloaded
  }

  @Test
  void anUpdateOlderThanTheHeldEntryInvalidatesInsteadOfReplacing() {
    db.reprice(2, 500); // version 2
    db.reprice(2, 600); // version 3
    warmEveryInstance();
    fleet
        .get(0)
        .group
        .publish(
            "product.price_changed",
            new Invalidation.Update(
                null,
                List.of("product:2"),
                Map.of("product:2", Map.of("name", "p2", "priceCents", 500, "version", 2)),
                OptionalLong.of(2)),
            Map.of());
    for (KitInstance instance : fleet) {
      eventually(() -> assertThat(held(instance.products, 2L)).isFalse());
      assertThat(instance.products.get(2L).priceCents()).isEqualTo(600);
    }
  }

  @Test
  void categoryProductsUpdatedWithAPatternPayloadAndWildcardSubscriptions() {
    warmEveryInstance();
    AtomicInteger wildcard = new AtomicInteger();
    AtomicInteger everything = new AtomicInteger();
    for (KitInstance instance : fleet) {
      instance.group.subscribe(
          "category.*",
          event -> {
            wildcard.incrementAndGet();
            return List.of();
          });
      instance.group.subscribe(
          "*",
          event -> {
            everything.incrementAndGet();
            return List.of();
          });
    }
    fleet
        .get(2)
        .group
        .publish(
            "category.products_updated",
            Invalidation.pattern("product:?"),
            Map.of("category_id", 7));
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            for (long i = 0; i < 10; i++) {
              assertThat(held(instance.products, i)).isFalse();
            }
          });
    }
    eventually(() -> assertThat(wildcard).hasValue(INSTANCES));
    eventually(() -> assertThat(everything).hasValue(INSTANCES));
  }

  @Test
  void inventoryBatchUpdatedWithATagPayload() {
    warmEveryInstance();
    fleet
        .get(3)
        .group
        .publish(
            "inventory.batch_updated",
            Invalidation.tags("warehouse:2"),
            Map.of("batch", List.of(1, 2)));
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            for (long i = 0; i < 10; i++) {
              assertThat(!held(instance.products, i)).isEqualTo(i % 2 == 0);
            }
          });
    }
  }

  @Test
  void aSeedFormatEventFromAPlainPublisherInvalidatesEveryInstance() {
    warmEveryInstance();
    String seedEvent =
        "{\"type\": \"user.updated\", \"timestamp\": 81235.5,"
            + " \"payload\": {\"type\": \"delete\", \"keys\": [\"user:8\", \"user:9\"], \"user_id\": 8}}";
    connections.get(0).publish("user.updated", seedEvent);
    for (KitInstance instance : fleet) {
      eventually(
          () -> {
            assertThat(held(instance.users, "8")).isFalse();
            assertThat(held(instance.users, "9")).isFalse();
          });
      assertThat(held(instance.users, "7")).isTrue();
    }
  }

  /**
   * A raw event signed by the recipe of {@link io.freshcache.event.EventKeys}, with the kit's key.
   */
  protected static String signedByRecipe(String json) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(KitInstance.SECRET, "HmacSHA256"));
    byte[] hmac = mac.doFinal(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return json.substring(0, json.length() - 1)
        + ",\"sig\":\""
        + KitInstance.KEY_ID
        + ":"
        + java.util.HexFormat.of().formatHex(hmac)
        + "\"}";
  }

  private static String rawUpdate(long id, long priceCents, long version) {
    return ("{\"type\":\"product.price_changed\",\"timestamp\":1.5,\"payload\":{\"type\":"
            + "\"update\",\"keys\":[\"product:ID\"],\"values\":{\"product:ID\":{\"name\":"
            + "\"pID\",\"priceCents\":PRICE,\"version\":VERSION}},\"version\":VERSION}}")
        .replace("ID", String.valueOf(id))
        .replace("PRICE", String.valueOf(priceCents))
        .replace("VERSION", String.valueOf(version));
  }

  @Test
  void aRawUnsignedUpdateOnlyInvalidatesEverywhereAndTheNextVersionIsAccepted() {
    warmEveryInstance();
    connections.get(0).publish("product.price_changed", rawUpdate(4, 1, 999_999));
    for (KitInstance instance : fleet) {
      eventually(() -> assertThat(instance.group.stats().downgraded()).isEqualTo(1));
      // Counted once applied; the reader of the count sees the entry gone.
      assertThat(held(instance.products, 4L)).isFalse();
      assertThat(instance.products.get(4L).priceCents()).isEqualTo(104); // from the source
      assertThat(instance.group.stats().forged()).isZero();
    }
    Product next = db.reprice(4, 150);
    fleet.get(1).products.put(4L, next); // version 2: not refused as older than 999999
    assertThat(fleet.get(1).products.getIfPresent(4L)).isEqualTo(next);
  }

  @Test
  void aRawUpdateSignedByTheRecipeIsAppliedEverywhereAndATamperedOneIsForged() throws Exception {
    warmEveryInstance();
    String signed = signedByRecipe(rawUpdate(5, 777, 2));
    connections.get(0).publish("product.price_changed", signed.replace("777", "778"));
    for (KitInstance instance : fleet) {
      eventually(() -> assertThat(instance.group.stats().forged()).isEqualTo(1));
      assertThat(instance.products.getIfPresent(5L)).isEqualTo(new Product("p5", 105, 1));
    }
    connections.get(0).publish("product.price_changed", signed);
    for (KitInstance instance : fleet) {
      eventually(
          () ->
              assertThat(instance.products.getIfPresent(5L)).isEqualTo(new Product("p5", 777, 2)));
      assertThat(instance.group.stats().downgraded()).isZero();
    }
  }

  /**
   * Messages that are not valid events, each for a different reason: every instance counts them as
   * malformed and changes nothing; {@code freshcache watch} shows them as malformed too.
   */
  public static final List<String> MALFORMED_EVENTS =
      List.of(
          "not json",
          "[1, 2]",
          "{\"type\": \"user.updated\"}",
          "{\"type\": \"user.updated\", \"payload\": {\"type\": \"explode\", \"keys\": [\"user:1\"]}}",
          "{\"type\": \"user.updated\", \"payload\": {\"type\": \"delete\", \"keys\": [1, 2]}}",
          "{\"type\": \"user.updated\", \"payload\": {\"type\": \"pattern\", \"pattern\": \"*\"}}",
          "{\"type\": \"bad type!\", \"payload\": {\"type\": \"delete\", \"keys\": [\"user:1\"]}}",
          "{\"type\": \"user.updated\", \"payload\": {\"type\": \"delete\", \"keys\": [\""
              + "k".repeat(5_000)
              + "\"]}}");

  // ---------------------------------------------------------------- bad input

  @Test
  void malformedEventsAreCountedAndChangeNothing() {
    warmEveryInstance();
    List<String> bad = MALFORMED_EVENTS;
    for (String message : bad) {
      connections.get(0).publish("user.updated", message);
    }
    // A good event after the bad ones proves they were all processed, and the bus still works.
    connections
        .get(0)
        .publish(
            "user.updated",
            "{\"type\": \"user.updated\", \"payload\": {\"type\": \"delete\", \"keys\": [\"user:0\"]}}");
    for (KitInstance instance : fleet) {
      eventually(() -> assertThat(held(instance.users, "0")).isFalse());
      // A bus with two paths may apply the good event from one before the last bad one from the
      // other: wait for the count rather than assume the order.
      eventually(() -> assertThat(instance.group.stats().malformed()).isEqualTo(bad.size()));
      for (int i = 1; i < 10; i++) {
        assertThat(held(instance.users, String.valueOf(i))).isTrue();
        assertThat(held(instance.products, (long) i)).isTrue();
      }
    }
  }

  @Test
  void aPatternThatWouldMatchEverythingIsRefusedAndChangesNothing() {
    warmEveryInstance();
    for (String glob : List.of("*", "**", "?*", "*?*")) {
      assertThatThrownBy(() -> fleet.get(0).group.invalidatePattern(glob))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("would invalidate every key: nothing was invalidated");
    }
    assertThat(fleet.get(0).group.stats().published()).isZero();
    for (KitInstance instance : fleet) {
      assertThat(held(instance.users, "1")).isTrue();
    }
  }

  @Test
  void aDependencyCycleIsRefusedAndChangesNothing() {
    KitInstance a = fleet.get(0);
    a.feeds.put("x", "fx", DependsOn.keys("feed:y"));
    assertThatThrownBy(() -> a.feeds.put("y", "fy", DependsOn.keys("feed:x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dependency cycle feed:y -> feed:x -> feed:y")
        .hasMessageContaining("nothing was stored");
    assertThatThrownBy(() -> a.feeds.put("z", "fz", DependsOn.keys("feed:z")))
        .hasMessageContaining("dependency cycle feed:z -> feed:z");
    assertThat(held(a.feeds, "y")).isFalse();
    assertThat(held(a.feeds, "z")).isFalse();
    eventually(() -> assertThat(a.feeds.getIfPresent("x")).isEqualTo("fx"));
  }

  // ---------------------------------------------------------------- consistency contract

  @Test
  void aLoadRacingAnInvalidationFromAnotherInstanceIsNotStored() throws Exception {
    KitInstance reader = fleet.get(1);
    KitInstance writer = fleet.get(0);
    CountDownLatch readOld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    FreshCache<String, String> slow =
        reader
            .group
            .cache("slow", String.class, String.class)
            .keyPrefix("slow:")
            .source(
                key -> {
                  String value = db.users.get(key);
                  if (calls.incrementAndGet() == 1) {
                    readOld.countDown();
                    release.await(10, TimeUnit.SECONDS);
                  }
                  return value;
                })
            .build();
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      Future<String> racing = threads.submit(() -> slow.get("1"));
      assertThat(readOld.await(10, TimeUnit.SECONDS)).isTrue();

      db.users.put("1", "user1-v2");
      writer.group.invalidateKeys("slow:1");
      eventually(() -> assertThat(reader.group.stats().applied()).isGreaterThanOrEqualTo(1));
      release.countDown();

      assertThat(racing.get(10, TimeUnit.SECONDS)).isEqualTo("user1-v1");
      assertThat(held(slow, "1")).isFalse();
      assertThat(slow.get("1")).isEqualTo("user1-v2");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void readYourWritesOnTheWritingInstanceAndBoundedStalenessElsewhere() {
    warmEveryInstance();
    KitInstance writer = fleet.get(2);
    writer.users.put("1", "mine");
    assertThat(writer.users.get("1")).isEqualTo("mine");
    for (KitInstance instance : fleet) {
      if (instance != writer) {
        eventually(() -> assertThat(held(instance.users, "1")).isFalse());
      }
    }
  }

  @Test
  void aVersionedInvalidationRefusesOlderWritesOnEveryInstance() {
    fleet
        .get(0)
        .group
        .invalidate(new Invalidation.Keys(null, List.of("product:1"), false, OptionalLong.of(5)));
    for (KitInstance instance : fleet) {
      eventually(
          () ->
              assertThatThrownBy(() -> instance.products.put(1L, new Product("old", 1, 4)))
                  .isInstanceOf(VersionConflictException.class));
    }
    // The version itself is accepted everywhere (a put that is refused throws). Not read back:
    // each put tells the other instances to drop their copy, possibly after their own put.
    for (KitInstance instance : fleet) {
      instance.products.put(1L, new Product("new", 1, 5), Version.of(5));
    }
  }

  // ---------------------------------------------------------------- write policies

  private FreshCache<String, String> writableCache(
      KitInstance instance, Writes<String, String> writes) {
    return instance
        .group
        .cache("accounts", String.class, String.class)
        .keyPrefix("account:")
        .source(db::user)
        .writes(writes)
        .build();
  }

  @Test
  void writeThroughUpdatesTheSourceThenTheCacheAndEveryInstanceSeesIt() {
    List<FreshCache<String, String>> accounts = new ArrayList<>();
    for (KitInstance instance : fleet) {
      accounts.add(writableCache(instance, Writes.through((k, v) -> db.users.put(k, v))));
    }
    accounts.forEach(cache -> cache.get("3"));
    accounts.get(0).put("3", "written");

    assertThat(db.users.get("3")).isEqualTo("written");
    eventually(() -> assertThat(accounts.get(0).getIfPresent("3")).isEqualTo("written"));
    for (FreshCache<String, String> cache : accounts) {
      eventually(() -> assertThat(cache.get("3")).isEqualTo("written"));
    }
  }

  @Test
  void writeAroundUpdatesTheSourceAndInvalidatesEveryInstance() {
    List<FreshCache<String, String>> accounts = new ArrayList<>();
    for (KitInstance instance : fleet) {
      accounts.add(writableCache(instance, Writes.around((k, v) -> db.users.put(k, v))));
    }
    accounts.forEach(cache -> cache.get("4"));
    accounts.get(1).put("4", "written");

    assertThat(db.users.get("4")).isEqualTo("written");
    assertThat(held(accounts.get(1), "4")).isFalse();
    for (FreshCache<String, String> cache : accounts) {
      eventually(() -> assertThat(held(cache, "4")).isFalse());
      assertThat(cache.get("4")).isEqualTo("written");
    }
  }

  @Test
  void writeBehindServesTheWriteAtOnceAndEveryInstanceAfterTheFlush() {
    List<FreshCache<String, String>> accounts = new ArrayList<>();
    for (KitInstance instance : fleet) {
      accounts.add(
          writableCache(
              instance,
              Writes.<String, String>behind((k, v) -> db.users.put(k, v))
                  .flushEvery(Duration.ofMillis(20))));
    }
    accounts.forEach(cache -> cache.get("5"));
    accounts.get(3).put("5", "written");
    assertThat(accounts.get(3).get("5")).isEqualTo("written");

    eventually(() -> assertThat(db.users.get("5")).isEqualTo("written"));
    for (FreshCache<String, String> cache : accounts) {
      eventually(() -> assertThat(cache.get("5")).isEqualTo("written"));
    }
  }
}
