package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** getAll over a shared tier: every key's lookup in one round trip, the rest in one source call. */
class SharedGetAllTest {

  private static final int KEYS = 100;

  /** A tier whose lookups answer only once the gate opens; counts the lookups sent before that. */
  private static final class GatedTier extends ForwardingSharedTier {
    final CompletableFuture<Void> gate = new CompletableFuture<>();
    final AtomicInteger lookups = new AtomicInteger();

    GatedTier(SharedTier delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor) {
      lookups.incrementAndGet();
      return gate.thenCompose(open -> delegate.lookup(cache, key, holdFor));
    }
  }

  /** A source that counts its calls and the keys each batch asked for. */
  private static final class Rows implements Source<Integer, String> {
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger singles = new AtomicInteger();

    @Override
    public String load(Integer key) {
      singles.incrementAndGet();
      return "row-" + key;
    }

    @Override
    public Map<Integer, String> loadAll(Set<? extends Integer> keys) {
      batches.add(keys.size());
      Map<Integer, String> rows = new HashMap<>();
      keys.forEach(key -> rows.put(key, "row-" + key));
      return rows;
    }
  }

  private static FreshCache<Integer, String> cache(SharedTier tier, Rows rows) {
    CacheGroup group =
        CacheGroup.builder("getall").shared(tier).sharedTimeout(Duration.ofSeconds(30)).build();
    return group.cache("rows", Integer.class, String.class).source(rows).build();
  }

  private static List<Integer> keys(int from, int to) {
    List<Integer> keys = new ArrayList<>();
    for (int i = from; i < to; i++) {
      keys.add(i);
    }
    return keys;
  }

  @Test
  void everyKeysLookupIsSentBeforeAnyAnswerIsAwaited() throws Exception {
    InMemorySharedTier stored = new InMemorySharedTier();
    Rows first = new Rows();
    cache(stored, first).getAll(keys(0, KEYS)); // fills the tier
    GatedTier gated = new GatedTier(stored);
    Rows second = new Rows();
    FreshCache<Integer, String> reader = cache(gated, second);

    CompletableFuture<Map<Integer, String>> all =
        CompletableFuture.supplyAsync(() -> reader.getAll(keys(0, KEYS)));

    // One round trip: all the lookups are out while none has been answered.
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gated.lookups.get() == KEYS);
    assertThat(all).isNotDone();
    gated.gate.complete(null);
    assertThat(all.get(10, TimeUnit.SECONDS)).hasSize(KEYS).containsEntry(7, "row-7");
    assertThat(second.batches).isEmpty();
    assertThat(second.singles.get()).isZero();
    assertThat(reader.group().stats().sharedHits()).isEqualTo(KEYS);
  }

  @Test
  void theKeysTheTierLacksLoadInOneSourceCallAndAreShared() {
    InMemorySharedTier stored = new InMemorySharedTier();
    cache(stored, new Rows()).getAll(keys(0, KEYS / 2)); // half of them in the tier
    Rows rows = new Rows();
    FreshCache<Integer, String> reader = cache(stored, rows);

    assertThat(reader.getAll(keys(0, KEYS))).hasSize(KEYS).containsEntry(99, "row-99");

    assertThat(rows.batches).containsExactly(KEYS / 2);
    assertThat(rows.singles.get()).isZero();
    Rows third = new Rows();
    cache(stored, third).getAll(keys(0, KEYS)); // the loaded half was filled into the tier
    assertThat(third.batches).isEmpty();
    assertThat(third.singles.get()).isZero();
  }

  /**
   * The writer's side: a put on another instance lands while the batch's source call is running.
   * The batch still answers its caller, but stores the old value nowhere: not here, not in the
   * tier.
   */
  @Test
  void aPutRacingTheBatchedLoadLeavesTheNewValueInTheTierAndNothingOldHere() throws Exception {
    InMemorySharedTier stored = new InMemorySharedTier();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Source<Integer, String> slow =
        new Source<>() {
          @Override
          public String load(Integer key) {
            return "old-" + key;
          }

          @Override
          public Map<Integer, String> loadAll(Set<? extends Integer> keys) throws Exception {
            loading.countDown();
            assertThat(finish.await(10, TimeUnit.SECONDS)).isTrue();
            Map<Integer, String> rows = new HashMap<>();
            keys.forEach(key -> rows.put(key, "old-" + key));
            return rows;
          }
        };
    try (InProcessBus bus = new InProcessBus();
        CacheGroup readerGroup = CacheGroup.builder("race").bus(bus).shared(stored).build();
        CacheGroup writerGroup = CacheGroup.builder("race").bus(bus).shared(stored).build();
        CacheGroup thirdGroup = CacheGroup.builder("race").bus(bus).shared(stored).build()) {
      FreshCache<Integer, String> reader =
          readerGroup.cache("rows", Integer.class, String.class).source(slow).build();
      FreshCache<Integer, String> writer =
          writerGroup.cache("rows", Integer.class, String.class).source(key -> "db-" + key).build();
      FreshCache<Integer, String> third =
          thirdGroup.cache("rows", Integer.class, String.class).source(key -> "db-" + key).build();

      CompletableFuture<Map<Integer, String>> all =
          CompletableFuture.supplyAsync(() -> reader.getAll(List.of(1, 2)));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue(); // leases taken, source running
      writer.put(1, "new-1");
      finish.countDown();

      assertThat(all.get(10, TimeUnit.SECONDS)).containsEntry(1, "old-1").containsEntry(2, "old-2");
      assertThat(reader.getIfPresent(1)).isNotEqualTo("old-1");
      assertThat(third.get(1)).isEqualTo("new-1"); // the put, from the tier
      assertThat(third.get(2)).isEqualTo("old-2"); // the batch's other key was shared
    }
  }

  /** A tier that counts its lookups, one key or many at once. */
  private static final class CountingTier extends ForwardingSharedTier {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger lookups = new AtomicInteger();

    CountingTier(SharedTier delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor) {
      lookups.incrementAndGet();
      return delegate.lookup(cache, key, holdFor);
    }

    @Override
    public CompletableFuture<List<SharedLookup>> lookupAll(
        String cache, List<String> keys, Duration holdFor) {
      batches.add(List.copyOf(keys));
      return delegate.lookupAll(cache, keys, holdFor);
    }
  }

  @Test
  void aGetAllAsksTheTierOnceForTheKeysItMissesHereSyncAndAsync() throws Exception {
    InMemorySharedTier stored = new InMemorySharedTier();
    cache(stored, new Rows()).getAll(keys(0, KEYS)); // fills the tier
    CountingTier counting = new CountingTier(stored);
    Rows rows = new Rows();
    FreshCache<Integer, String> reader = cache(counting, rows);
    reader.get(0);
    reader.get(1);
    assertThat(counting.lookups).hasValue(2);

    assertThat(reader.getAll(keys(0, KEYS / 2))).hasSize(KEYS / 2).containsEntry(7, "row-7");
    assertThat(reader.async().getAll(keys(KEYS / 2, KEYS)).get(10, TimeUnit.SECONDS))
        .hasSize(KEYS / 2)
        .containsEntry(77, "row-77");

    assertThat(counting.batches).hasSize(2);
    assertThat(counting.batches.get(0)).hasSize(KEYS / 2 - 2); // 0 and 1 were local hits
    assertThat(counting.batches.get(1)).hasSize(KEYS / 2);
    assertThat(counting.lookups).hasValue(2); // no lookup of one key besides
    assertThat(rows.batches).isEmpty();
    assertThat(rows.singles.get()).isZero();
    assertThat(reader.group().stats().sharedHits()).isEqualTo(KEYS);
  }

  /** The async getAll holds no executor thread while the tier answers. */
  @Test
  void anAsyncGetAllHoldsNoThreadWhileTheTierAnswers() throws Exception {
    InMemorySharedTier stored = new InMemorySharedTier();
    cache(stored, new Rows()).getAll(keys(0, KEYS / 2)); // half of them in the tier
    GatedTier gated = new GatedTier(stored);
    Rows rows = new Rows();
    java.util.concurrent.ExecutorService oneThread =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (CacheGroup group =
        CacheGroup.builder("getall").shared(gated).sharedTimeout(Duration.ofSeconds(30)).build()) {
      FreshCache<Integer, String> reader =
          group.cache("rows", Integer.class, String.class).executor(oneThread).source(rows).build();

      CompletableFuture<Map<Integer, String>> all = reader.async().getAll(keys(0, KEYS));
      CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> "ran", oneThread);
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("ran"); // not waiting on the tier
      assertThat(all).isNotDone();

      gated.gate.complete(null);
      assertThat(all.get(10, TimeUnit.SECONDS)).hasSize(KEYS).containsEntry(99, "row-99");
      assertThat(rows.batches).containsExactly(KEYS / 2);
      assertThat(group.stats().sharedHits()).isEqualTo(KEYS / 2);
    } finally {
      oneThread.shutdownNow();
    }
  }
}
