package io.freshcache.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link SharedTier} contract on its own, against the SPI only: leases and fills (the
 * stale-fill race closed by voiding leases), lookups of many keys at once, release, puts, versions,
 * invalidation of keys, tags, patterns and whole caches, and the variants that reach every cache of
 * the namespace through any instance. Each test states a promise of the interface's javadoc with
 * nothing of a particular store in it.
 *
 * <p>A tier implementation subclasses this and says how an instance connects ({@link #connect}).
 * Expiry is not stated here: the SPI takes no clock, so a kit could test lease hold times and entry
 * lifetimes only by waiting them out; an implementation tests those with its store's own tools.
 * Every call's future is awaited for at most {@link #timeout()}.
 */
public abstract class SharedTierContractKit {

  /** The hold time of every lease the kit takes: longer than any test. */
  protected static final Duration HOLD = Duration.ofMinutes(5);

  /** The lifetime of every entry the kit stores: longer than any test. */
  protected static final Duration TTL = Duration.ofMinutes(5);

  private final List<SharedTier> connections = new ArrayList<>();
  private String namespace;

  /**
   * A new connection to the tier of {@code namespace}, standing for one instance of the group: what
   * one connection stores, every connection of the namespace sees. Called once or more per test;
   * the kit closes every connection after the test. Each test has a namespace of its own ({@link
   * #namespace()}), empty at its start.
   */
  protected abstract SharedTier connect(String namespace);

  /** How long the kit waits for any one call's future. Ten seconds unless overridden. */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** The namespace of the running test, to clean up after it. */
  protected final String namespace() {
    return namespace;
  }

  @BeforeEach
  void name() {
    namespace = Namespaces.next("tierkit", getClass());
  }

  @AfterEach
  void closeConnections() {
    connections.forEach(SharedTier::close);
  }

  /** A new connection of the test's namespace. */
  protected final SharedTier instance() {
    SharedTier tier = connect(namespace);
    connections.add(tier);
    return tier;
  }

  /** An entry holding {@code value} as UTF-8. */
  protected static SharedEntry entry(String value, long version, String... tags) {
    return new SharedEntry(value.getBytes(StandardCharsets.UTF_8), version, TTL, List.of(tags));
  }

  private static String text(SharedLookup found) {
    assertThat(found.isHit()).as("a hit").isTrue();
    return new String(found.entry().value(), StandardCharsets.UTF_8);
  }

  /** The future's value, awaited for at most {@link #timeout()}. */
  protected final <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      throw new AssertionError("the tier's call did not complete normally", e);
    }
  }

  private SharedLookup lookup(SharedTier tier, String cache, String key) {
    return await(tier.lookup(cache, key, HOLD));
  }

  private boolean hit(SharedTier tier, String cache, String key) {
    return lookup(tier, cache, key).isHit();
  }

  private void putAll(SharedTier tier, String cache, List<String> keys, String value) {
    List<CompletableFuture<Boolean>> puts = new ArrayList<>();
    for (String key : keys) {
      puts.add(tier.put(cache, key, entry(value, 1)));
    }
    await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
  }

  private static List<String> keys(String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(prefix + i);
    }
    return keys;
  }

  // ------------------------------------------------------------------ leases and fills

  @Test
  void aMissLeasesTheKeyOthersWaitAndTheFillIsServedToEveryInstance() {
    SharedTier tier = instance();
    SharedTier other = instance();

    SharedLookup miss = lookup(tier, "users", "user:1");
    assertThat(miss.isHit()).isFalse();
    assertThat(miss.lease()).isNotNull();
    assertThat(miss.loadingElsewhere()).isFalse();

    assertThat(lookup(tier, "users", "user:1")).isEqualTo(SharedLookup.busy());
    assertThat(lookup(other, "users", "user:1")).isEqualTo(SharedLookup.busy());

    SharedEntry alice = entry("alice", 7, "t1", "team:3");
    assertThat(await(tier.fill("users", "user:1", alice, miss.lease()))).isTrue();

    for (SharedTier instance : List.of(tier, other)) {
      SharedLookup hit = lookup(instance, "users", "user:1");
      assertThat(hit.isHit()).isTrue();
      assertThat(hit.lease()).isNull();
      assertThat(hit.loadingElsewhere()).isFalse();
      assertThat(hit.entry().value()).isEqualTo(alice.value());
      assertThat(hit.entry().version()).isEqualTo(7);
      assertThat(hit.entry().tags()).containsExactly("t1", "team:3");
      assertThat(hit.entry().ttl()).isPositive().isLessThanOrEqualTo(TTL);
    }
  }

  @Test
  void valuesKeysAndTagsTravelExactly() {
    SharedTier tier = instance();
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i; // every byte, invalid UTF-8 included
    }
    String key = "user:é 日本 😀 {braces} *star* \\";
    String tag = "org:ü 😀";
    assertThat(
            await(
                tier.put(
                    "users", key, new SharedEntry(binary, Long.MIN_VALUE, TTL, List.of(tag, "t")))))
        .isTrue();

    SharedLookup hit = lookup(instance(), "users", key);
    assertThat(hit.entry().value()).isEqualTo(binary);
    assertThat(hit.entry().version()).isEqualTo(Long.MIN_VALUE);
    assertThat(hit.entry().tags()).containsExactly(tag, "t");
    assertThat(hit(tier, "users", "user:é 日本 😀 {braces} *star*")).isFalse();
  }

  @Test
  void lookupsRacingFromEveryInstanceGiveExactlyOneLease() throws Exception {
    List<SharedTier> fleet = List.of(instance(), instance(), instance(), instance());
    ExecutorService threads = Executors.newFixedThreadPool(fleet.size());
    try {
      for (int round = 0; round < 20; round++) {
        String key = "race:" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SharedLookup>> lookups = new ArrayList<>();
        for (SharedTier tier : fleet) {
          lookups.add(
              threads.submit(
                  () -> {
                    start.await();
                    return lookup(tier, "users", key);
                  }));
        }
        start.countDown();
        int leases = 0;
        for (Future<SharedLookup> lookup : lookups) {
          SharedLookup found = lookup.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
          assertThat(found.isHit()).isFalse();
          leases += found.lease() != null ? 1 : 0;
          assertThat(found.loadingElsewhere()).isEqualTo(found.lease() == null);
        }
        assertThat(leases).as("leases taken on %s", key).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void staleFillAfterInvalidateIsRefused() {
    SharedTier tier = instance();
    SharedLookup miss = lookup(tier, "users", "user:1");

    await(instance().invalidate("users", List.of("user:1")));

    assertThat(await(tier.fill("users", "user:1", entry("old", 1), miss.lease()))).isFalse();
    SharedLookup after = lookup(tier, "users", "user:1");
    assertThat(after.isHit()).isFalse();
    assertThat(after.lease()).isNotNull().isNotEqualTo(miss.lease());
  }

  @Test
  void aFillIsRefusedAfterAPutVoidedItsLease() {
    SharedTier tier = instance();
    SharedLookup miss = lookup(tier, "users", "user:1");

    assertThat(await(instance().put("users", "user:1", entry("written", Long.MIN_VALUE)))).isTrue();

    assertThat(await(tier.fill("users", "user:1", entry("loaded", Long.MIN_VALUE), miss.lease())))
        .isFalse();
    assertThat(text(lookup(tier, "users", "user:1"))).isEqualTo("written");
  }

  @Test
  void staleFillAfterATagInvalidationIsRefusedAndTheLeaseIsGivenUp() {
    SharedTier tier = instance();
    SharedLookup tagged = lookup(tier, "users", "user:1");
    SharedLookup untagged = lookup(tier, "users", "user:2");

    await(instance().invalidateTags(List.of("t1")));

    assertThat(await(tier.fill("users", "user:1", entry("old", 1, "t1"), tagged.lease())))
        .isFalse();
    assertThat(await(tier.fill("users", "user:2", entry("fine", 1, "t2"), untagged.lease())))
        .isTrue();
    SharedLookup after = lookup(tier, "users", "user:1");
    assertThat(after.isHit()).isFalse();
    // The refused fill released the caller's lease: the next caller loads instead of waiting.
    assertThat(after.lease()).isNotNull().isNotEqualTo(tagged.lease());
    assertThat(text(lookup(tier, "users", "user:2"))).isEqualTo("fine");
  }

  @Test
  void releaseDropsOnlyTheCallersLeaseAndNeverTheEntry() {
    SharedTier tier = instance();
    SharedTier waiting = instance();
    SharedLookup miss = lookup(tier, "users", "user:1");
    assertThat(lookup(waiting, "users", "user:1").loadingElsewhere()).isTrue();

    assertThat(await(tier.release("users", "user:1", miss.lease() + "x"))).isFalse();
    assertThat(lookup(waiting, "users", "user:1").loadingElsewhere()).isTrue();

    assertThat(await(tier.release("users", "user:1", miss.lease()))).isTrue();
    SharedLookup next = lookup(waiting, "users", "user:1"); // the waiter loads at once
    assertThat(next.lease()).isNotNull().isNotEqualTo(miss.lease());

    // Released once, the token is nobody's: it cannot drop the next caller's lease, here or on
    // another key.
    assertThat(await(tier.release("users", "user:1", miss.lease()))).isFalse();
    SharedLookup other = lookup(waiting, "users", "user:2");
    assertThat(await(tier.release("users", "user:2", miss.lease()))).isFalse();
    assertThat(lookup(tier, "users", "user:1").loadingElsewhere()).isTrue();
    assertThat(lookup(tier, "users", "user:2").loadingElsewhere()).isTrue();

    // A lease voided by a put is not released, and the put's entry stays.
    assertThat(await(tier.put("users", "user:2", entry("put", 1)))).isTrue();
    assertThat(await(waiting.release("users", "user:2", other.lease()))).isFalse();
    assertThat(text(lookup(tier, "users", "user:2"))).isEqualTo("put");
  }

  // ------------------------------------------------------------------ lookups of many keys

  @Test
  void lookupAllAnswersEachKeyAsItsOwnLookupWould() {
    SharedTier tier = instance();
    SharedTier other = instance();
    SharedEntry alice = entry("alice", 7, "t1", "team:3");
    assertThat(await(other.put("users", "user:1", alice))).isTrue();
    assertThat(lookup(other, "users", "user:2").lease()).isNotNull(); // other loads user:2
    assertThat(await(other.put("users", "user:4", entry("hidden", 1, "t9")))).isTrue();
    await(other.invalidateTags(List.of("t9")));

    List<SharedLookup> found =
        await(tier.lookupAll("users", List.of("user:1", "user:2", "user:3", "user:4"), HOLD));

    assertThat(found).hasSize(4);
    assertThat(found.get(0).entry().value()).isEqualTo(alice.value());
    assertThat(found.get(0).entry().version()).isEqualTo(7);
    assertThat(found.get(0).entry().tags()).containsExactly("t1", "team:3");
    assertThat(found.get(0).entry().ttl()).isPositive().isLessThanOrEqualTo(TTL);
    assertThat(found.get(0).lease()).isNull();
    assertThat(found.get(1)).isEqualTo(SharedLookup.busy());
    SharedLookup three = found.get(2);
    SharedLookup four = found.get(3); // its entry carries an invalidated tag: a miss
    assertThat(three.isHit()).isFalse();
    assertThat(four.isHit()).isFalse();
    assertThat(three.lease()).isNotNull().isNotEqualTo(four.lease());
    assertThat(four.lease()).isNotNull();

    // Each lease is its key's own: it neither releases nor fills another key.
    assertThat(await(tier.release("users", "user:4", three.lease()))).isFalse();
    assertThat(await(tier.fill("users", "user:3", entry("three", 1), three.lease()))).isTrue();
    assertThat(await(tier.fill("users", "user:4", entry("four", 1), four.lease()))).isTrue();
    assertThat(lookup(other, "users", "user:3").loadingElsewhere()).isFalse();

    List<SharedLookup> again =
        await(other.lookupAll("users", List.of("user:4", "user:3", "user:2"), HOLD));
    assertThat(text(again.get(0))).isEqualTo("four");
    assertThat(text(again.get(1))).isEqualTo("three");
    assertThat(again.get(2).loadingElsewhere()).isTrue();
    assertThat(await(tier.lookupAll("users", List.of(), HOLD))).isEmpty();
  }

  @Test
  void aLeaseFromLookupAllIsVoidedByAnInvalidationOfItsKeyOnly() {
    SharedTier tier = instance();
    List<SharedLookup> misses = await(tier.lookupAll("users", List.of("a", "b", "c"), HOLD));
    assertThat(misses).allSatisfy(miss -> assertThat(miss.lease()).isNotNull());

    await(instance().invalidate("users", List.of("a")));
    await(instance().put("users", "c", entry("written", Long.MIN_VALUE)));

    assertThat(await(tier.fill("users", "a", entry("old", 1), misses.get(0).lease()))).isFalse();
    assertThat(await(tier.fill("users", "b", entry("fine", 1), misses.get(1).lease()))).isTrue();
    assertThat(await(tier.fill("users", "c", entry("loaded", 1), misses.get(2).lease()))).isFalse();
    List<SharedLookup> after = await(tier.lookupAll("users", List.of("a", "b", "c"), HOLD));
    assertThat(after.get(0).lease()).isNotNull().isNotEqualTo(misses.get(0).lease());
    assertThat(text(after.get(1))).isEqualTo("fine");
    assertThat(text(after.get(2))).isEqualTo("written");
  }

  @Test
  void lookupAllOfManyKeysAnswersEveryKeyInOrder() {
    SharedTier tier = instance();
    List<String> keys = keys("k", 1_200);
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += 2) {
      stored.add(keys.get(i));
    }
    putAll(tier, "many", stored, "v");

    List<SharedLookup> found = await(instance().lookupAll("many", keys, HOLD));

    assertThat(found).hasSize(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      if (i % 2 == 0) {
        assertThat(text(found.get(i))).as(keys.get(i)).isEqualTo("v");
      } else {
        assertThat(found.get(i).lease()).as(keys.get(i)).isNotNull();
      }
    }
    assertThat(found.stream().map(SharedLookup::lease).filter(l -> l != null).distinct())
        .hasSize(keys.size() / 2);
  }

  // ------------------------------------------------------------------ versions

  @Test
  void aNewerVersionIsNeverReplacedByAnOlderOne() {
    SharedTier tier = instance();
    SharedTier other = instance();

    assertThat(await(tier.put("users", "user:1", entry("v5", 5)))).isTrue();
    assertThat(await(other.put("users", "user:1", entry("v4", 4)))).isFalse();
    assertThat(text(lookup(tier, "users", "user:1"))).isEqualTo("v5");

    assertThat(await(other.put("users", "user:1", entry("v5 again", 5)))).isTrue(); // equal: kept
    assertThat(text(lookup(tier, "users", "user:1"))).isEqualTo("v5 again");

    assertThat(await(tier.put("users", "user:1", entry("v6", 6)))).isTrue();
    SharedLookup six = lookup(other, "users", "user:1");
    assertThat(text(six)).isEqualTo("v6");
    assertThat(six.entry().version()).isEqualTo(6);

    // versions compare exactly beyond 2^53 and across the sign
    assertThat(await(tier.put("users", "user:3", entry("big", Long.MAX_VALUE)))).isTrue();
    assertThat(await(tier.put("users", "user:3", entry("less", Long.MAX_VALUE - 1)))).isFalse();
    assertThat(await(tier.put("users", "user:4", entry("minus", -1)))).isTrue();
    assertThat(await(tier.put("users", "user:4", entry("zero", 0)))).isTrue();
    assertThat(await(tier.put("users", "user:4", entry("minus", -1)))).isFalse();
    assertThat(text(lookup(tier, "users", "user:4"))).isEqualTo("zero");
  }

  @Test
  void aPutVoidsTheKeysLeaseEvenWhenItIsRefusedAsOlder() {
    SharedTier tier = instance();
    await(tier.put("users", "user:1", entry("v5", 5, "t")));
    await(tier.invalidateTags(List.of("t"))); // hidden, so the next lookup takes a lease
    SharedLookup miss = lookup(tier, "users", "user:1");
    assertThat(miss.lease()).isNotNull();

    await(instance().put("users", "user:1", entry("v9", 9)));

    assertThat(await(tier.fill("users", "user:1", entry("loaded", 9), miss.lease()))).isFalse();
    assertThat(text(lookup(tier, "users", "user:1"))).isEqualTo("v9");
  }

  // ------------------------------------------------------------------ tags

  @Test
  void aTagInvalidationHidesExactlyTheEntriesCarryingItInEveryCache() {
    SharedTier tier = instance();
    List<CompletableFuture<Boolean>> puts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      puts.add(tier.put("docs", "t1:" + i, entry("a", 1, "t1")));
      puts.add(tier.put("docs", "both:" + i, entry("b", 1, "t1", "t2")));
      puts.add(tier.put("docs", "t2:" + i, entry("c", 1, "t2")));
      puts.add(tier.put("pages", "t1:" + i, entry("d", 1, "t1")));
    }
    await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));

    await(instance().invalidateTags(List.of("t1")));

    for (int i = 0; i < 100; i += 7) {
      assertThat(hit(tier, "docs", "t1:" + i)).isFalse();
      assertThat(hit(tier, "docs", "both:" + i)).isFalse();
      assertThat(hit(tier, "pages", "t1:" + i)).isFalse();
      assertThat(hit(tier, "docs", "t2:" + i)).isTrue();
    }

    await(tier.invalidateTags(List.of("t1", "t2", "t3", "t2")));
    assertThat(hit(tier, "docs", "t2:0")).isFalse();
  }

  @Test
  void anEntryStoredAfterATagInvalidationSurvivesIt() {
    SharedTier tier = instance();
    await(tier.invalidateTags(List.of("t1")));

    assertThat(await(tier.put("docs", "a", entry("after", 1, "t1")))).isTrue();
    SharedLookup miss = lookup(tier, "docs", "b");
    assertThat(await(tier.fill("docs", "b", entry("filled", 1, "t1"), miss.lease()))).isTrue();

    assertThat(text(lookup(instance(), "docs", "a"))).isEqualTo("after");
    assertThat(text(lookup(instance(), "docs", "b"))).isEqualTo("filled");
  }

  // ------------------------------------------------------------------ patterns and whole caches

  @Test
  void aPatternDeletesExactlyWhatItMatchesInItsCacheAndVoidsTheirLeases() {
    SharedTier tier = instance();
    putAll(tier, "users", keys("user:", 300), "u");
    putAll(tier, "users", keys("admin:", 400), "a");
    await(tier.put("orders", "user:1", entry("o", 1))); // same key, other cache
    SharedLookup leased = lookup(tier, "users", "user:5000");

    for (String everything : List.of("*", "?*?", "**")) {
      assertThatThrownBy(() -> tier.invalidatePattern("users", everything))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(hit(tier, "users", "user:0")).isTrue();

    assertThat(await(instance().invalidatePattern("users", "user:*"))).isEqualTo(300);

    for (int i = 0; i < 300; i += 37) {
      assertThat(hit(tier, "users", "user:" + i)).isFalse();
    }
    for (int i = 0; i < 400; i += 37) {
      assertThat(hit(tier, "users", "admin:" + i)).isTrue();
    }
    assertThat(hit(tier, "orders", "user:1")).isTrue();
    assertThat(await(tier.fill("users", "user:5000", entry("late", 1), leased.lease()))).isFalse();
  }

  @Test
  void aPatternReadsOnlyStarQuestionMarkAndBackslashAsSpecial() {
    SharedTier tier = instance();
    for (String key : List.of("a[1]", "a1", "a*b", "axb", "a.c", "abc", "ab")) {
      await(tier.put("things", key, entry(key, 1)));
    }

    assertThat(await(tier.invalidatePattern("things", "a[1]"))).isEqualTo(1);
    assertThat(await(tier.invalidatePattern("things", "a\\*b"))).isEqualTo(1);
    assertThat(await(tier.invalidatePattern("things", "a.c"))).isEqualTo(1);
    assertThat(await(tier.invalidatePattern("things", "a?c"))).isEqualTo(1); // "a.c" is gone

    assertThat(hit(tier, "things", "a1")).isTrue();
    assertThat(hit(tier, "things", "axb")).isTrue();
    assertThat(hit(tier, "things", "ab")).isTrue();
    assertThat(hit(tier, "things", "a[1]")).isFalse();
    assertThat(hit(tier, "things", "a*b")).isFalse();
    assertThat(hit(tier, "things", "a.c")).isFalse();
    assertThat(hit(tier, "things", "abc")).isFalse();
  }

  @Test
  void manyKeysAndAWholeCacheAreInvalidatedWithTheirLeases() {
    SharedTier tier = instance();
    putAll(tier, "users", keys("user:", 1200), "u");
    await(tier.put("orders", "order:1", entry("o", 1)));
    SharedLookup leased = lookup(tier, "users", "user:9999");
    List<String> even = new ArrayList<>();
    for (int i = 0; i < 1200; i += 2) {
      even.add("user:" + i);
    }

    await(tier.invalidate("users", even));
    assertThat(hit(tier, "users", "user:0")).isFalse();
    assertThat(hit(tier, "users", "user:1198")).isFalse();
    assertThat(hit(tier, "users", "user:1")).isTrue();

    await(instance().invalidateAll("users"));

    assertThat(hit(tier, "users", "user:1")).isFalse();
    assertThat(hit(tier, "users", "user:1199")).isFalse();
    assertThat(hit(tier, "orders", "order:1")).isTrue();
    assertThat(await(tier.fill("users", "user:9999", entry("late", 1), leased.lease()))).isFalse();
  }

  // ------------------------------------------------------------------ every cache of a namespace

  @Test
  void keysNamingNoCacheAreInvalidatedInTheCachesOfEveryInstance() {
    SharedTier users = instance();
    SharedTier orders = instance();
    SharedTier elsewhere = instance(); // an instance that uses neither cache
    await(users.put("users", "user:1", entry("u1", 1)));
    await(users.put("users", "user:2", entry("u2", 1)));
    await(orders.put("orders", "user:1", entry("o1", 1))); // same key, other cache
    await(orders.put("orders", "order:1", entry("o", 1)));
    SharedLookup leased = lookup(orders, "orders", "order:9");

    await(elsewhere.invalidateInEveryCache(List.of("user:1", "order:9")));

    assertThat(hit(users, "users", "user:1")).isFalse();
    assertThat(hit(orders, "orders", "user:1")).isFalse();
    assertThat(hit(users, "users", "user:2")).isTrue();
    assertThat(hit(orders, "orders", "order:1")).isTrue();
    assertThat(await(orders.fill("orders", "order:9", entry("late", 1), leased.lease()))).isFalse();
  }

  @Test
  void manyKeysNamingNoCacheAreAllInvalidated() {
    SharedTier tier = instance();
    List<String> names = keys("k:", 1200);
    putAll(tier, "a", names, "a");
    putAll(tier, "b", names, "b");
    await(tier.put("a", "kept", entry("a", 1)));

    await(tier.invalidateInEveryCache(names));

    assertThat(hit(tier, "a", "k:0")).isFalse();
    assertThat(hit(tier, "a", "k:777")).isFalse();
    assertThat(hit(tier, "b", "k:501")).isFalse();
    assertThat(hit(tier, "b", "k:1199")).isFalse();
    assertThat(hit(tier, "a", "kept")).isTrue();
  }

  @Test
  void aPatternNamingNoCacheIsSweptInEveryCache() {
    SharedTier one = instance();
    SharedTier two = instance();
    await(one.put("users", "user:1", entry("u", 1)));
    await(one.put("users", "admin:1", entry("a", 1)));
    await(two.put("orders", "user:1", entry("o", 1)));
    await(two.put("orders", "x/user:1", entry("x", 1)));
    SharedLookup leased = lookup(two, "orders", "user:2");

    assertThatThrownBy(() -> one.invalidatePatternInEveryCache("*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(hit(one, "users", "user:1")).isTrue();

    assertThat(await(instance().invalidatePatternInEveryCache("user:*"))).isEqualTo(2);

    assertThat(hit(one, "users", "user:1")).isFalse();
    assertThat(hit(two, "orders", "user:1")).isFalse();
    assertThat(hit(one, "users", "admin:1")).isTrue();
    assertThat(hit(two, "orders", "x/user:1")).isTrue();
    assertThat(await(two.fill("orders", "user:2", entry("late", 1), leased.lease()))).isFalse();
  }

  @Test
  void everythingNamingNoCacheClearsEveryCacheAndVoidsEveryLease() {
    SharedTier one = instance();
    SharedTier two = instance();
    putAll(one, "users", keys("user:", 700), "u");
    putAll(two, "orders", keys("order:", 700), "o");
    SharedLookup leased = lookup(two, "orders", "order:9999");

    await(instance().invalidateEveryCache());

    assertThat(hit(one, "users", "user:1")).isFalse();
    assertThat(hit(two, "orders", "order:699")).isFalse();
    assertThat(await(two.fill("orders", "order:9999", entry("late", 1), leased.lease()))).isFalse();
    assertThat(await(one.put("users", "user:1", entry("again", 1)))).isTrue();
    assertThat(text(lookup(two, "users", "user:1"))).isEqualTo("again");
  }

  // ------------------------------------------------------------------ namespace and bad input

  @Test
  void aConnectionNamesTheNamespaceItHoldsOrNone() {
    assertThat(instance().namespace()).isIn(namespace, null);
  }

  @Test
  void badArgumentsThrowAtOnceAndChangeNothing() {
    SharedTier tier = instance();
    await(tier.put("users", "user:1", entry("kept", 1, "t1")));
    SharedLookup leased = lookup(tier, "users", "user:2");

    assertThatThrownBy(() -> tier.lookup("users/x", "k", HOLD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.lookup("users", "", HOLD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.lookup("users", "k".repeat(100_000), HOLD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.lookup(null, "k", HOLD)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.lookup("users", null, HOLD))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.lookupAll("users", Arrays.asList("user:3", null), HOLD))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.lookupAll("users/x", List.of("k"), HOLD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.invalidate("users", Arrays.asList("user:1", null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.invalidateInEveryCache(Arrays.asList("user:1", null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.invalidateTags(List.of("t1", " ")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tier.invalidateTags(Arrays.asList("t1", null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.release("users", "user:2", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.fill("users", "user:2", entry("x", 1), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.fill("users", "user:2", null, leased.lease()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.put("users", "user:1", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> tier.invalidateAll("no/such name"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(text(lookup(tier, "users", "user:1"))).isEqualTo("kept");
    assertThat(await(tier.fill("users", "user:2", entry("filled", 1), leased.lease()))).isTrue();
  }
}
