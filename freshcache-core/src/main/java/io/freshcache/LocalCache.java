package io.freshcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.event.EventCodec;
import io.freshcache.event.Invalidation;
import io.freshcache.event.Names;
import io.freshcache.spi.SharedEntry;
import io.freshcache.stats.CacheAnalytics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process tier: Caffeine holds the entries; this class adds the strategies around it.
 *
 * <p>Every read path is written once here. A hit never allocates a future: {@link #serve} answers
 * it from the entry. A miss goes through {@link #miss}, which starts or joins the key's {@link
 * Flight}; the blocking API joins that future, the async API returns it. The source runs on the
 * caller's thread for a blocking miss and on the executor otherwise.
 *
 * <p>Two guards keep invalidated values out: a flight's lease, voided under the key's lock by
 * {@link #invalidate} and {@link #put}, and the epoch, which {@link #invalidateAll} bumps so that
 * every entry and flight of an older epoch counts as gone even while Caffeine is still clearing.
 */
final class LocalCache<K, V> implements FreshCache<K, V>, GroupMember {

  private static final Logger log = LoggerFactory.getLogger(LocalCache.class);
  private static final PutOption[] NO_OPTIONS = new PutOption[0];

  /** How often stale-if-error retries a failing source for one key. */
  static final long SIE_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  private final String name;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final Checks<K, V> checks;
  private final Source<K, V> source;

  /** The source as a flight's loader; null if the cache has none. */
  private final Loader<K, V> sourceLoader;

  private final Expiry<K, V> expiry;
  private final RefreshTrigger trigger;
  private final long staleWhileRevalidate;
  private final long staleIfError;
  private final long staleRetention;
  private final Ticker ticker;
  private final Executor executor;
  private final Cache<K, Entry<V>> store;
  private final Retention<K, V> retention;

  /** Whether the ticker is {@code System.nanoTime}, the clock the bus's trust deadline runs on. */
  private final boolean systemTicker;

  private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();
  private final StatsCounter stats = new StatsCounter();
  private final AccessRates<K> rates;
  private final AsyncView<K, V> async;
  private final MapView<K, V> map;
  private final Analytics<K, V> analytics;
  private final AutoCloseable meters;

  /** Checks a sample of hits against the source; null unless the builder asked for it. */
  private final FreshnessVerifier<K, V> verifier;

  private final GroupContext group;
  private final InvalidationHistory history;
  private final String prefix;
  private final KeyCodec<K> codec;
  private final EntryMetadata<K, V> metadata;
  private final WritePath<K, V> writePath;
  private final SharedValues<V> shared;
  private volatile long epoch;

  /** Write-throughs between their mark and their store, by key ({@link #markWrite}). */
  private final java.util.concurrent.ConcurrentHashMap<K, WriteMark> writing =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Told of every entry that leaves; null if none was set (removals then pay nothing for it). */
  private final RemovalListener<? super K, ? super V> listener;

  /** How long a source's "not found" is cached, in ticker nanos; -1: a null fails the load. */
  private final long negativeNanos;

  /** Why the last {@link #clearLocal} cleared, for entries of older epochs that leave later. */
  private volatile RemovalCause clearCause = RemovalCause.INVALIDATED;

  LocalCache(FreshCacheBuilder<K, V> b) {
    this.name = b.name;
    this.keyType = b.keyType;
    this.valueType = b.valueType;
    this.checks = new Checks<>(b.name, b.keyType, b.valueType, b.maxKeyLength);
    this.source = b.source;
    this.listener = b.removalListener;
    this.negativeNanos = b.negativeTtl == null ? -1 : Durations.toNanos(b.negativeTtl);
    this.sourceLoader = b.source == null ? null : Loader.of(b.source);
    this.expiry = b.expiry;
    this.trigger = b.refresh.trigger;
    this.staleWhileRevalidate = b.refresh.staleWhileRevalidateNanos;
    this.staleIfError = b.refresh.staleIfErrorNanos;
    this.staleRetention = b.refresh.staleRetentionNanos();
    this.ticker = b.ticker;
    this.executor = b.executor;
    this.group = b.group;
    this.history = group.history;
    this.prefix = b.keyPrefix;
    this.codec = b.codec();
    if (b.dependsOnOf != null) {
      history.derivesEntries(); // before this cache's first load reads the history's clock
    }
    this.metadata =
        new EntryMetadata<>(name, this, this::keyName, b.tagsOf, b.dependsOnOf, b.versionOf);
    this.shared =
        group.shared == null
            ? null
            : new SharedValues<>(name, group.shared, b.valueCodec(), staleRetention);
    this.systemTicker = ticker == Ticker.systemTicker();
    this.retention = new Retention<>(name, expiry, staleRetention, ticker);
    // Caffeine's upkeep (read recording, size eviction, expiry) runs off the reader's thread, on
    // Caffeine's default executor. What it removes is accounted for by the eviction listener,
    // which Caffeine calls within that upkeep; what this cache removes or replaces itself, it
    // accounts for at once, where it does it (see unregister). settle() finishes pending upkeep.
    // On a ticker of the caller's (a test's or a simulation's clock) the upkeep runs inline
    // instead: time moves only when the caller moves it, and upkeep racing it would not be
    // repeatable.
    Caffeine<Object, Object> caffeine = Caffeine.newBuilder();
    if (!systemTicker) {
      caffeine.executor(Runnable::run);
    }
    if (b.maximumSize >= 0) {
      caffeine.maximumSize(b.maximumSize);
    }
    if (b.maximumWeight >= 0) {
      Weigher<? super K, ? super V> weigher = b.weigher;
      caffeine
          .maximumWeight(b.maximumWeight)
          .weigher(
              (K key, Entry<V> entry) -> entry.isAbsent() ? 1 : weigh(weigher, key, entry.value));
    }
    this.store =
        retention
            .configure(caffeine, ticker)
            .evictionListener(
                (K key, Entry<V> entry, com.github.benmanes.caffeine.cache.RemovalCause cause) ->
                    onEviction(key, entry, cause))
            .build();
    retention.attach(store);
    long rateKeys = b.maximumSize >= 0 ? Math.max(1_000, b.maximumSize) : 1_000_000;
    this.rates = expiry.observesAccessRate() ? new AccessRates<>(rateKeys, ticker) : null;
    this.async = new AsyncView<>(this);
    this.map = new MapView<>(this, keyType);
    this.verifier = b.verify == null ? null : verifier(b.verify, b.versionOf);
    this.analytics = new Analytics<>(this, checks, stats, ticker);
    this.writePath = new WritePath<>(this, group, name, b.writes, shared, stats);
    this.meters =
        b.meterRegistry == null
            ? null
            : MicrometerMetrics.bind(b.meterRegistry, name, stats, this::estimatedSize, verifier);
    group.join(this);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    return get(key, sourceLoader);
  }

  @Override
  public V get(K key, Source<? super K, ? extends V> loader) {
    Objects.requireNonNull(loader, () -> "cache '" + name + "': loader must not be null");
    return get(key, Loader.<K, V>of(loader));
  }

  private V get(K key, Loader<K, V> loader) {
    checks.key(key);
    long now = read(key);
    Entry<V> entry = store.getIfPresent(key);
    if (entry != null) {
      V value = serve(key, entry, now);
      if (value != null) {
        return reveal(value);
      }
    }
    countRate(key, now);
    return reveal(join(miss(key, entry, true, loader)));
  }

  CompletableFuture<V> getAsync(K key) {
    return getAsync(key, sourceLoader);
  }

  /** The async get with a loader of the caller's instead of the source. */
  CompletableFuture<V> getAsync(
      K key,
      BiFunction<? super K, ? super Executor, ? extends CompletableFuture<? extends V>> loader) {
    Objects.requireNonNull(loader, () -> "cache '" + name + "': loader must not be null");
    return getAsync(key, Loader.<K, V>async(name, loader));
  }

  private CompletableFuture<V> getAsync(K key, Loader<K, V> loader) {
    checks.key(key);
    long now = read(key);
    Entry<V> entry = store.getIfPresent(key);
    if (entry != null) {
      V value = serve(key, entry, now);
      if (value != null) {
        return CompletableFuture.completedFuture(reveal(value));
      }
    }
    countRate(key, now);
    return revealed(miss(key, entry, false, loader));
  }

  @Override
  public V getIfPresent(K key) {
    checks.key(key);
    long now = read(key);
    Entry<V> entry = store.getIfPresent(key);
    V value = entry == null ? null : serve(key, entry, now);
    if (value == null) {
      countRate(key, now);
      stats.misses.increment();
    }
    return reveal(value);
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    return join(getAllAsync(keys, true));
  }

  CompletableFuture<Map<K, V>> getAllAsync(Iterable<? extends K> keys, boolean inline) {
    Objects.requireNonNull(keys, () -> "cache '" + name + "': keys must not be null");
    List<K> order = new ArrayList<>();
    Map<K, V> found = new LinkedHashMap<>();
    Map<K, CompletableFuture<V>> pending = new LinkedHashMap<>();
    Map<K, Flight<V>> owned = new LinkedHashMap<>();
    for (K key : keys) {
      checks.key(key);
      if (found.containsKey(key) || pending.containsKey(key)) {
        continue;
      }
      order.add(key);
      long now = read(key);
      Entry<V> entry = store.getIfPresent(key);
      V value = entry == null ? null : serve(key, entry, now);
      if (value != null) {
        found.put(key, value);
        continue;
      }
      countRate(key, now);
      requireSource();
      stats.misses.increment();
      Flight<V> flight = new Flight<>(current(entry), epoch, history, false);
      Flight<V> existing = flights.putIfAbsent(key, flight);
      if (existing != null) {
        pending.put(key, existing.future);
      } else if (filledMeanwhile(key, flight)) {
        pending.put(key, flight.future);
      } else {
        owned.put(key, flight);
        pending.put(key, flight.future);
      }
    }
    if (!owned.isEmpty()) {
      if (inline) {
        loadAll(owned);
      } else if (owned.size() == 1) {
        Map.Entry<K, Flight<V>> only = owned.entrySet().iterator().next();
        loadLater(only.getKey(), only.getValue(), sourceLoader);
      } else {
        loadAllLater(owned);
      }
    }
    if (pending.isEmpty() && negativeNanos < 0) {
      return CompletableFuture.completedFuture(found);
    }
    return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<K, V> result = new LinkedHashMap<>();
              for (K key : order) {
                V value = found.get(key);
                value = reveal(value != null ? value : pending.get(key).join());
                if (value != null) {
                  result.put(key, value); // a key its source did not find is left out
                }
              }
              return result;
            });
  }

  /** An entry's weight, as the user's weigher says; a negative one fails the write. */
  private int weigh(Weigher<? super K, ? super V> weigher, K key, V value) {
    int weight = weigher.weigh(key, value);
    if (weight < 0) {
      throw new IllegalArgumentException(
          "cache '"
              + name
              + "': the weigher gave "
              + key
              + " the weight "
              + weight
              + "; weights must be 0 or more");
    }
    return weight;
  }

  /** What a public method returns for a served or loaded value: null for a cached "not found". */
  @SuppressWarnings("unchecked")
  private V reveal(V value) {
    return value == (V) Entry.ABSENT ? null : value;
  }

  /** The value of an entry that caches "not found". */
  @SuppressWarnings("unchecked")
  private static <V> V absent() {
    return (V) Entry.ABSENT;
  }

  /** A load's future as a public method returns it: "not found" as null. */
  private CompletableFuture<V> revealed(CompletableFuture<V> future) {
    return negativeNanos < 0 ? future : future.thenApply(this::reveal);
  }

  /** The ticker's time for a read: the one clock read a read makes. */
  private long read(K key) {
    long now = ticker.read();
    retention.observe(now);
    return now;
  }

  /**
   * Counts, for adaptive expiry, a read that found no entry to serve. A hit costs the rate nothing:
   * the entry's own read count holds its reads while it lives, and goes into the key's rate when it
   * leaves ({@link #retire}); a load judges the key by both.
   */
  private void countRate(K key, long now) {
    if (rates != null) {
      rates.record(key, now, 1, now);
    }
  }

  /**
   * Answers a read from {@code entry} if the strategies allow it, starting a background refresh
   * when one is due; returns {@code null} when the read must wait for a load.
   */
  private V serve(K key, Entry<V> entry, long now) {
    if (entry.epoch != epoch || !(systemTicker ? group.trustedAt(now) : group.trusted())) {
      return null; // invalidated by invalidateAll, or the bus cannot vouch for local entries now
    }
    if (entry.meta.tags().length != 0
        && history.tagsInvalidatedSince(entry.meta.tags(), entry.meta.since())) {
      drop(key, entry);
      return null;
    }
    long freshUntil = entry.freshUntil();
    if (now < freshUntil) {
      stats.hits.increment();
      entry.recordAccess(now);
      retention.afterHit(key, entry, now);
      if (verifier != null) {
        verifier.onHit(key, entry, now);
      }
      if (trigger != null && trigger.shouldRefresh(entry, now, stats)) {
        refreshInBackground(key, entry);
      }
      return entry.value;
    }
    if (now - freshUntil < staleWhileRevalidate) {
      stats.staleHits.increment();
      entry.recordAccess(now);
      refreshInBackground(key, entry);
      return entry.value;
    }
    if (entry.retryAt != 0 && now - freshUntil < staleIfError) {
      // The source failed on this entry's reload: serve it at once, retry in the background at
      // most once per retry interval, instead of making every reader wait on a failing source.
      stats.staleHits.increment();
      stats.staleIfErrorServed.increment();
      entry.recordAccess(now);
      if (now >= entry.retryAt) {
        refreshInBackground(key, entry);
      }
      return entry.value;
    }
    countExpiry(entry);
    return null;
  }

  /**
   * Starts or joins the key's load. {@code inline}: run the loader on this thread. A flight of the
   * key already running is joined whoever's loader it runs; {@code loader} null: the cache has no
   * source and the caller gave none.
   */
  private CompletableFuture<V> miss(K key, Entry<V> prior, boolean inline, Loader<K, V> loader) {
    if (writePath.behind()) {
      V unflushed = writePath.pendingValue(key);
      if (unflushed != null) {
        // The source does not have it yet: loading would bring back the value it replaced.
        stats.hits.increment();
        return CompletableFuture.completedFuture(unflushed);
      }
    }
    if (loader == null) {
      requireSource();
    }
    stats.misses.increment();
    Flight<V> flight = new Flight<>(current(prior), epoch, history, false);
    Flight<V> existing = flights.putIfAbsent(key, flight);
    if (existing != null) {
      return existing.future;
    }
    if (filledMeanwhile(key, flight)) {
      return flight.future;
    }
    if (inline) {
      load(key, flight, loader);
    } else {
      loadLater(key, flight, loader);
    }
    return flight.future;
  }

  /**
   * An async miss: the shared-tier lookup holds no thread while the tier answers; the fill from a
   * hit (or the load) then runs on the executor, so that the future the caller got completes there
   * and not on the tier's I/O thread: a stage the caller attached without an executor may block,
   * and on Redis's I/O thread that would stall every command of the client, its own reply included.
   */
  private void loadLater(K key, Flight<V> flight, Loader<K, V> loader) {
    if (shared == null || !group.readsShared()) {
      submit(() -> load(key, flight, SharedLink.Found.NEITHER, loader), Map.of(key, flight));
      return;
    }
    shared
        .findAsync(keyName(key))
        .whenComplete(
            (found, error) ->
                // Whatever the lookup did, the flight goes on: an unexpected failure loads.
                submit(
                    () ->
                        load(key, flight, found == null ? SharedLink.Found.NEITHER : found, loader),
                    Map.of(key, flight)));
  }

  /**
   * A reader that missed may register its flight just after another flight of the key filled the
   * store. Looking again closes that window: concurrent misses then cost exactly one load.
   */
  private boolean filledMeanwhile(K key, Flight<V> flight) {
    Entry<V> entry = store.policy().getIfPresentQuietly(key);
    if (entry == null
        || entry.epoch != flight.epoch
        || !group.trusted()
        || !entry.isFresh(ticker.read())) {
      return false;
    }
    flights.remove(key, flight);
    entry.recordAccess(ticker.read());
    flight.future.complete(entry.value);
    return true;
  }

  @Override
  public CompletableFuture<V> refresh(K key) {
    checks.key(key);
    requireSource();
    if (writePath.behind()) {
      V unflushed = writePath.pendingValue(key);
      if (unflushed != null) {
        // The source does not have it yet: reloading would bring back the value it replaced.
        return CompletableFuture.completedFuture(unflushed);
      }
    }
    Flight<V> flight = null;
    while (flight == null) {
      Flight<V> existing = flights.get(key);
      if (existing != null) {
        return revealed(existing.future); // one load per key: this one brings the newest value
      }
      Flight<V> candidate =
          new Flight<>(current(store.policy().getIfPresentQuietly(key)), epoch, history, true);
      if (flights.putIfAbsent(key, candidate) == null) {
        flight = candidate;
      }
    }
    stats.refreshes.increment();
    Flight<V> started = flight;
    submit(() -> load(key, started, sourceLoader), Map.of(key, started));
    return revealed(started.future);
  }

  private void refreshInBackground(K key, Entry<V> entry) {
    if (flights.containsKey(key)) {
      return; // a load of this key is already running: at most one per key
    }
    Flight<V> flight = new Flight<>(entry, epoch, history, true);
    if (flights.putIfAbsent(key, flight) != null) {
      return;
    }
    stats.refreshes.increment();
    submit(() -> load(key, flight, sourceLoader), Map.of(key, flight));
  }

  private void submit(Runnable task, Map<K, Flight<V>> flightsOfTask) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      flightsOfTask.forEach(
          (key, flight) ->
              failed(
                  key,
                  flight,
                  new CacheLoadException(
                      "cache '" + name + "': the executor refused the load of " + key, e)));
    }
  }

  // ---------------------------------------------------------------- loads and fills

  private void load(K key, Flight<V> flight, Loader<K, V> loader) {
    // A refresh goes to the source: the shared entry is most likely as old as the local one.
    SharedLink.Found found =
        shared == null || flight.refresh || !group.readsShared()
            ? SharedLink.Found.NEITHER
            : shared.find(keyName(key));
    load(key, flight, found, loader);
  }

  /** Loads after the shared-tier lookup answered {@code found}: fills from a hit, or loads. */
  private void load(K key, Flight<V> flight, SharedLink.Found found, Loader<K, V> loader) {
    if (found.entry() != null && fillFromShared(key, flight, found.entry())) {
      return;
    }
    long start = ticker.read();
    // A blocking source's future is complete already: the rest runs on this thread, at once.
    loader
        .start(key, executor)
        .whenComplete(
            (value, error) -> {
              try {
                loaded(key, flight, found, start, value, error);
              } catch (RuntimeException | Error e) {
                // Never leave the key's waiters hanging on a flight nobody will answer.
                flights.remove(key, flight);
                flight.future.completeExceptionally(e);
              }
            });
  }

  /** Fills and answers a flight once its loader answered ({@code error} null on success). */
  private void loaded(
      K key, Flight<V> flight, SharedLink.Found found, long start, V value, Throwable error) {
    long freshFor = 0;
    if (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    if (error == null) {
      try {
        if (value == null && negativeNanos >= 0) {
          value = absent(); // "not found", cached for its own lifetime
          freshFor = negativeNanos;
        } else {
          checks.loaded(key, value);
          freshFor = freshFor(key, value);
        }
      } catch (Throwable t) {
        error = t;
      }
    }
    if (error != null) {
      if (found.lease() != null) {
        shared.release(keyName(key), found.lease()); // waiting instances try the source at once
      }
      failed(key, flight, error);
      return;
    }
    long loadNanos = Math.max(0, ticker.read() - start);
    stats.recordLoadSuccess(loadNanos);
    Entry.Meta stored = fill(key, flight, value, freshFor, loadNanos, null);
    if (found.lease() != null) {
      // Sent before the callers are answered (not awaited), so that their next command on the
      // tier's connection comes after it. A "not found" stays on this instance.
      if (stored != null && value != absent()) {
        shared.fill(keyName(key), found.lease(), value, stored, freshFor);
      } else {
        // Refused here (invalidated meanwhile): not to be shared either. Dropping the lease lets
        // instances waiting on it load at once rather than after its hold time. Only the lease:
        // the entry may be a newer put's, the very write that voided this load.
        shared.release(keyName(key), found.lease());
      }
    }
    flight.future.complete(value);
  }

  /**
   * Fills the local entry from a shared hit, through the same guards as a load; false if the hit is
   * unusable (undecodable, fresh no longer, or refused by the guards) and the source must be asked.
   */
  private boolean fillFromShared(K key, Flight<V> flight, SharedEntry hit) {
    V value = shared.decode(key, hit);
    long freshFor = shared.freshFor(hit);
    if (value == null || freshFor == 0) {
      return false; // an expired shared entry is left to its TTL; this load is not shared
    }
    if (fill(key, flight, value, freshFor, 0, hit) == null) {
      // Refused here: invalidated during the lookup, or older than a version this instance has
      // seen (the tier missed an invalidation). The source, not the refused value, answers.
      return false;
    }
    flight.future.complete(value);
    return true;
  }

  private void loadAll(Map<K, Flight<V>> owned) {
    if (owned.size() == 1) {
      Map.Entry<K, Flight<V>> only = owned.entrySet().iterator().next();
      load(only.getKey(), only.getValue(), sourceLoader);
      return;
    }
    if (shared == null || !group.readsShared()) {
      loadFromSource(owned, Map.of());
      return;
    }
    // Every key's lookup at once (one round trip); the hits fill here, the rest load together.
    List<K> keys = new ArrayList<>(owned.keySet());
    List<SharedLink.Found> found = shared.findAll(names(keys));
    Map<K, String> leases = new LinkedHashMap<>();
    Map<K, Flight<V>> rest = fillFromShared(owned, keys, found, leases);
    if (!rest.isEmpty()) {
      loadFromSource(rest, leases);
    }
  }

  /**
   * {@link #loadAll} for the async view: the lookups hold no thread while the tier answers; the
   * hits fill and the keys the tier lacks load on the executor (as {@link #loadLater} does).
   */
  private void loadAllLater(Map<K, Flight<V>> owned) {
    if (shared == null || !group.readsShared()) {
      submit(() -> loadFromSource(owned, Map.of()), owned);
      return;
    }
    List<K> keys = new ArrayList<>(owned.keySet());
    shared
        .findAllAsync(names(keys))
        .whenComplete(
            (found, error) -> {
              List<SharedLink.Found> answers =
                  found != null && found.size() == keys.size()
                      ? found
                      : Collections.nCopies(keys.size(), SharedLink.Found.NEITHER);
              // On the executor, as loadLater: the callers' futures do not complete on the tier's
              // I/O thread.
              submit(
                  () -> {
                    Map<K, String> leases = new LinkedHashMap<>();
                    Map<K, Flight<V>> rest = fillFromShared(owned, keys, answers, leases);
                    if (!rest.isEmpty()) {
                      loadFromSource(rest, leases);
                    }
                  },
                  owned);
            });
  }

  private List<String> names(List<K> keys) {
    List<String> names = new ArrayList<>(keys.size());
    keys.forEach(key -> names.add(keyName(key)));
    return names;
  }

  /**
   * Fills the keys the tier answered with a usable hit; returns the others, in order, for the
   * source, and puts the leases the tier gave for them into {@code leases}.
   */
  private Map<K, Flight<V>> fillFromShared(
      Map<K, Flight<V>> owned, List<K> keys, List<SharedLink.Found> found, Map<K, String> leases) {
    Map<K, Flight<V>> rest = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      K key = keys.get(i);
      Flight<V> flight = owned.get(key);
      SharedLink.Found hit = found.get(i);
      if (hit.entry() != null && fillFromShared(key, flight, hit.entry())) {
        continue;
      }
      rest.put(key, flight);
      if (hit.lease() != null) {
        leases.put(key, hit.lease());
      }
    }
    return rest;
  }

  /**
   * Loads keys from the source in one {@link Source#loadAll} call and fills them; a key with a
   * shared lease is filled into the tier too (or its lease released if not stored or not loaded).
   */
  private void loadFromSource(Map<K, Flight<V>> owned, Map<K, String> leases) {
    long start = ticker.read();
    Map<K, V> loaded;
    try {
      loaded = source.loadAll(Collections.unmodifiableSet(owned.keySet()));
      Objects.requireNonNull(loaded, "loadAll returned null");
    } catch (Throwable t) {
      leases.forEach((key, lease) -> shared.release(keyName(key), lease));
      owned.forEach((key, flight) -> failed(key, flight, t));
      return;
    }
    long loadNanos = Math.max(0, ticker.read() - start) / owned.size();
    owned.forEach(
        (key, flight) -> {
          String lease = leases.get(key);
          V value = loaded.get(key);
          long freshFor;
          try {
            if (value == null && negativeNanos >= 0) {
              value = absent(); // left out of the result: not found
              freshFor = negativeNanos;
            } else if (value == null) {
              throw new CacheLoadException(
                  "cache '" + name + "': the source's loadAll returned no value for key " + key);
            } else {
              checks.loaded(key, value);
              freshFor = freshFor(key, value);
            }
          } catch (Throwable t) {
            if (lease != null) {
              shared.release(keyName(key), lease);
            }
            failed(key, flight, t);
            return;
          }
          stats.recordLoadSuccess(loadNanos);
          Entry.Meta stored = fill(key, flight, value, freshFor, loadNanos, null);
          if (lease != null) {
            if (stored != null && value != absent()) {
              shared.fill(keyName(key), lease, value, stored, freshFor);
            } else {
              shared.release(keyName(key), lease);
            }
          }
          flight.future.complete(value);
        });
  }

  /**
   * Stores a loaded value, unless its lease was voided meanwhile, or what it was written with was
   * invalidated since the load started (a tag, a source key), or it is older than a version the
   * cache already knows. A refused value still reaches the load's callers; it is not stored. {@code
   * hit}: the shared entry the value came from, whose version and tags count; else null.
   *
   * @return what the stored entry was written with, or null if it was refused
   */
  private Entry.Meta fill(
      K key, Flight<V> flight, V value, long freshFor, long loadNanos, SharedEntry hit) {
    Entry.Meta meta;
    try {
      // A "not found" has no value to take tags, dependencies or a version from.
      meta = value == absent() ? Entry.Meta.PLAIN : metadata.forLoad(key, value, flight.since);
    } catch (RuntimeException e) {
      log.warn("cache '{}': not caching {}: {}", name, key, e.getMessage());
      refuse(key, flight);
      return null;
    }
    if (hit != null) {
      meta = EntryMetadata.withShared(meta, hit);
    }
    if (stale(key, meta, flight)) {
      refuse(key, flight);
      return null;
    }
    if (meta.node() != null) {
      List<String> cycle = group.graph.cycleThrough(meta.node().name(), Set.of(meta.sources()));
      if (cycle != null) {
        log.warn(
            "cache '{}': not caching {}: its dependencies form a cycle {}",
            name,
            key,
            String.join(" -> ", cycle));
        refuse(key, flight);
        return null;
      }
    }
    long now = ticker.read();
    retention.beforeWrite(freshFor, now);
    long writeCount = flight.prior == null ? 1 : flight.prior.writes + 1;
    Entry<V> entry = new Entry<>(value, now, freshFor, loadNanos, flight.epoch, writeCount, meta);
    register(entry);
    boolean[] stored = {false};
    List<Entry<V>> replaced = new ArrayList<>(1);
    store
        .asMap()
        .compute(
            key,
            (k, old) -> {
              // Runs under the key's lock, as do invalidate() and put(): a void seen as false here
              // cannot be set before this entry is in the map, where the invalidation removes it.
              if (flight.isVoided() || flight.epoch != epoch || newer(old, entry.meta.version())) {
                return old;
              }
              stored[0] = true;
              if (old != null) {
                replaced.add(old);
              }
              return entry;
            });
    // Deregister only now that the entry is visible, so a reader never finds neither.
    flights.remove(key, flight);
    if (!stored[0]) {
      unregister(entry);
      stats.voidedLoads.increment();
      return null;
    }
    replaced.forEach(old -> retire(key, old, replacedCause(old, now)));
    return meta;
  }

  /** Whether what a load's value was written with was invalidated while it loaded. */
  private boolean stale(K key, Entry.Meta meta, Flight<V> flight) {
    if (meta.tags().length != 0 && history.tagsInvalidatedSince(meta.tags(), flight.since)) {
      return true;
    }
    if (meta.sources().length == 0 && meta.version() == InvalidationHistory.NO_VERSION) {
      return false;
    }
    if (!history.withinHorizon(flight.startedAt)) {
      return true; // the history no longer reaches back to the load's start: cannot vouch for it
    }
    if (meta.sources().length != 0 && history.keysInvalidatedSince(meta.sources(), flight.since)) {
      return true;
    }
    if (meta.version() != InvalidationHistory.NO_VERSION
        && history.invalidatedVersion(keyName(key)) > meta.version()) {
      stats.versionConflicts.increment();
      return true;
    }
    return false;
  }

  private void refuse(K key, Flight<V> flight) {
    flights.remove(key, flight);
    stats.voidedLoads.increment();
  }

  /** True if {@code old} is a live entry with a version newer than {@code version}. */
  private boolean newer(Entry<V> old, long version) {
    if (old == null
        || old.epoch != epoch
        || old.meta.version() == InvalidationHistory.NO_VERSION
        || version == InvalidationHistory.NO_VERSION
        || old.meta.version() <= version) {
      return false;
    }
    stats.versionConflicts.increment();
    return true;
  }

  private void failed(K key, Flight<V> flight, Throwable cause) {
    stats.loadFailures.increment();
    flights.remove(key, flight);
    Entry<V> prior = flight.prior;
    if (prior != null
        && staleIfError > 0
        && !flight.isVoided()
        && prior.epoch == epoch
        && ticker.read() - prior.freshUntil() < staleIfError
        && store.policy().getIfPresentQuietly(key) == prior) {
      stats.staleIfErrorServed.increment();
      prior.retryAt =
          Durations.saturatedAdd(ticker.read(), Math.min(SIE_RETRY_NANOS, staleIfError));
      log.debug(
          "cache '{}': load of {} failed, serving the old value: {}", name, key, cause.toString());
      flight.future.complete(prior.value);
      return;
    }
    if (flight.refresh) {
      log.debug("cache '{}': background refresh of {} failed: {}", name, key, cause.toString());
    }
    flight.future.completeExceptionally(asUnchecked(key, cause));
  }

  private Throwable asUnchecked(K key, Throwable cause) {
    if (cause instanceof RuntimeException || cause instanceof Error) {
      return cause;
    }
    return new CacheLoadException("cache '" + name + "': the source failed to load " + key, cause);
  }

  /** How long a value stays fresh, as the expiry policy says. */
  long freshFor(K key, V value) {
    long nanos =
        expiry.freshFor(
            key,
            value,
            rates == null
                ? 0.0
                : rates.perSecond(key, store.policy().getIfPresentQuietly(key), ticker.read()));
    if (nanos < 0) {
      throw new IllegalStateException(
          "cache '" + name + "': expiry " + expiry + " gave a negative lifetime for " + key);
    }
    return nanos;
  }

  // ---------------------------------------------------------------- writes and invalidation

  @Override
  public void put(K key, V value) {
    put(key, value, NO_OPTIONS);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    checks.key(key);
    checks.value(value);
    Durations.requireNonNegative(ttl, "ttl");
    write(key, value, Durations.toNanos(ttl), NO_OPTIONS);
  }

  @Override
  public void put(K key, V value, PutOption... options) {
    checks.key(key);
    checks.value(value);
    Objects.requireNonNull(options, "options must not be null");
    write(key, value, -1, options);
  }

  /** A put through the cache's write policy. {@code freshFor < 0}: the expiry policy decides. */
  private void write(K key, V value, long freshFor, PutOption[] options) {
    writePath.write(key, value, freshFor, options);
  }

  /** What a put is written with: its options, and the cache's functions for what they omit. */
  Entry.Meta putMeta(K key, V value, PutOption[] options) {
    return metadata.forPut(key, value, history.now(), options);
  }

  /** Why this instance would refuse a put written with {@code meta} now (counted), or null. */
  PutRefusal refusal(K key, Entry.Meta meta) {
    long version = meta.version();
    if (version != InvalidationHistory.NO_VERSION) {
      long known = history.invalidatedVersion(keyName(key));
      if (known > version) {
        stats.versionConflicts.increment();
        return PutRefusal.version(version, known);
      }
      Entry<V> old = store.policy().getIfPresentQuietly(key);
      if (newer(old, version)) {
        return PutRefusal.version(version, old.meta.version());
      }
    }
    if (meta.node() != null) {
      List<String> cycle = group.graph.cycleThrough(meta.node().name(), Set.of(meta.sources()));
      if (cycle != null) {
        return PutRefusal.cycle(meta.sources(), cycle);
      }
    }
    return null;
  }

  /** Stores a put here; returns its entry. Throws a PutRefusal, changing nothing, if refused. */
  Entry<V> writeLocal(K key, V value, long lifetime, Entry.Meta meta) {
    return writeLocal(key, value, lifetime, meta, null);
  }

  /**
   * A write-through's mark on its key, from before it writes the source until it stores: an
   * invalidation of the key here meanwhile (by key, pattern, cascade, from the bus) voids it, as a
   * clear does by changing the epoch; a voided write stores nothing.
   */
  static final class WriteMark {
    final long epoch;
    volatile boolean voided;

    private WriteMark(long epoch) {
      this.epoch = epoch;
    }
  }

  /** Marks a write-through of {@code key} about to write the source; one at a time per key. */
  WriteMark markWrite(K key) {
    WriteMark mark = new WriteMark(epoch);
    writing.put(key, mark);
    return mark;
  }

  void unmarkWrite(K key, WriteMark mark) {
    writing.remove(key, mark);
  }

  /**
   * Stores a put's entry. With a {@code mark} (a write-through, after its source write): stores
   * nothing and returns null if the key was invalidated or the cache cleared since the mark, in one
   * step with the store, so the source may hold a newer write the cache would otherwise hide.
   */
  Entry<V> writeLocal(K key, V value, long lifetime, Entry.Meta meta, WriteMark mark) {
    PutRefusal refused = refusal(key, meta); // asked again: the write path may have asked earlier
    if (refused != null) {
      throw refused;
    }
    long now = ticker.read();
    retention.beforeWrite(lifetime, now);
    Entry<V> entry = new Entry<>(value, now, lifetime, 0, epoch, 1, meta);
    register(entry);
    long[] conflict = {InvalidationHistory.NO_VERSION};
    boolean[] overtaken = {false};
    List<Entry<V>> replaced = new ArrayList<>(1);
    store
        .asMap()
        .compute(
            key,
            (k, old) -> {
              if (mark != null && (mark.voided || mark.epoch != epoch)) {
                overtaken[0] = true;
                return old;
              }
              if (newer(old, meta.version())) {
                conflict[0] = old.meta.version();
                return old;
              }
              voidFlight(k);
              entry.writes = old == null || old.epoch != epoch ? 1 : old.writes + 1;
              if (old != null) {
                replaced.add(old);
              }
              return entry;
            });
    if (overtaken[0]) {
      unregister(entry);
      return null;
    }
    if (conflict[0] != InvalidationHistory.NO_VERSION) {
      unregister(entry);
      throw PutRefusal.version(meta.version(), conflict[0]);
    }
    replaced.forEach(old -> retire(key, old, replacedCause(old, now)));
    return entry;
  }

  private void register(Entry<V> entry) {
    if (entry.meta.node() != null) {
      group.graph.register(entry.meta.node(), entry, entry.meta.sources());
    }
  }

  /**
   * An entry that was visible has left the store (replaced, invalidated, evicted, expired): its
   * dependency edges go, and its reads go into the key's rate for adaptive expiry.
   */
  private void retire(K key, Entry<V> entry, RemovalCause cause) {
    unregister(entry);
    if (!entry.retire()) {
      return; // accounted for already
    }
    if (rates != null) {
      rates.record(key, ticker.read(), entry.accessCount(), entry.writtenAt);
    }
    if (listener != null && !entry.isAbsent()) {
      tell(key, entry.value, cause);
    }
  }

  /** Why an entry that a put or a load wrote over left, as its removal listener is told. */
  private RemovalCause replacedCause(Entry<V> old, long now) {
    if (listener == null) {
      return RemovalCause.REPLACED; // nobody asks
    }
    RemovalCause dead = deadCause(old);
    if (dead != null) {
      return dead;
    }
    return old.isFresh(now) ? RemovalCause.REPLACED : RemovalCause.EXPIRED;
  }

  /** Why an entry still in the store is invalidated already (a clear, a tag), or null if not. */
  private RemovalCause deadCause(Entry<V> entry) {
    if (entry.epoch != epoch) {
      return clearCause;
    }
    if (entry.meta.tags().length != 0
        && history.tagsInvalidatedSince(entry.meta.tags(), entry.meta.since())) {
      return history.tagCause(entry.meta.tags(), entry.meta.since());
    }
    return null;
  }

  /** Calls the removal listener; what it throws is logged and changes nothing. */
  private void tell(K key, V value, RemovalCause cause) {
    try {
      listener.onRemoval(key, value, cause);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      log.warn(
          "cache '{}': the removal listener failed on {} ({}); the cache goes on",
          name,
          key,
          cause,
          t);
    }
  }

  private void unregister(Entry<V> entry) {
    if (entry.meta.node() != null) {
      group.graph.unregister(entry.meta.node(), entry, entry.meta.sources());
    }
  }

  @Override
  public void invalidate(K key) {
    checks.key(key);
    invalidate(key, () -> "cache '" + name + "': " + key + " was invalidated on this instance");
  }

  /** Invalidates a key everywhere; {@code done} says what the caller did, for strict mode. */
  void invalidate(K key, Supplier<String> done) {
    String keyName = keyName(key);
    group.requireReachable(() -> "cache '" + name + "': " + key + " was not invalidated");
    Invalidation invalidation =
        new Invalidation.Keys(name, List.of(keyName), false, OptionalLong.empty());
    // The tier first: a miss here must not find the old value there.
    boolean tierTookIt = group.applyToTier(invalidation);
    history.invalidateKey(keyName, InvalidationHistory.NO_VERSION);
    invalidateLocal(key, RemovalCause.INVALIDATED);
    group.send(invalidation, tierTookIt ? null : invalidation, done);
  }

  @Override
  public void invalidateAll(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, () -> "cache '" + name + "': keys must not be null");
    List<K> checked = new ArrayList<>();
    for (K key : keys) {
      checks.key(key);
      checked.add(key);
    }
    if (checked.isEmpty()) {
      return;
    }
    List<String> names = new ArrayList<>(checked.size());
    for (K key : checked) {
      names.add(keyName(key));
    }
    group.requireReachable(() -> "cache '" + name + "': no key was invalidated");
    Invalidation invalidation = new Invalidation.Keys(name, names, false, OptionalLong.empty());
    boolean tierTookIt = group.applyToTier(invalidation);
    for (int i = 0; i < checked.size(); i++) {
      history.invalidateKey(names.get(i), InvalidationHistory.NO_VERSION);
      invalidateLocal(checked.get(i), RemovalCause.INVALIDATED);
    }
    group.send(
        invalidation,
        tierTookIt ? null : invalidation,
        () -> "cache '" + name + "': the keys were invalidated on this instance");
  }

  @Override
  public void invalidateAll() {
    group.requireReachable(() -> "cache '" + name + "' was not cleared");
    Invalidation invalidation = new Invalidation.All(name);
    boolean tierTookIt = group.applyToTier(invalidation);
    clearLocal(RemovalCause.INVALIDATED);
    group.send(
        invalidation,
        tierTookIt ? null : invalidation,
        () -> "cache '" + name + "' was cleared on this instance");
  }

  @Override
  public void invalidateDerived(Object key, RemovalCause cause) {
    invalidateLocal(keyType.cast(key), cause);
  }

  /** Removes the key's entry and voids its load, here only; {@code cause}: for the listener. */
  void invalidateLocal(K key, RemovalCause cause) {
    List<Entry<V>> removed = new ArrayList<>(1);
    store
        .asMap()
        .compute(
            key,
            (k, old) -> {
              WriteMark writer = writing.get(k);
              if (writer != null) {
                writer.voided = true; // in the key's step: the write-through stores nothing
              }
              boolean voided = voidFlight(k);
              if ((old != null && old.epoch == epoch) || voided) {
                stats.invalidations.increment();
              }
              if (old != null) {
                removed.add(old);
              }
              return null;
            });
    removed.forEach(old -> retire(key, old, deadOr(old, cause)));
  }

  /** The cause of an entry's removal: {@code cause}, unless it was invalidated already. */
  private RemovalCause deadOr(Entry<V> entry, RemovalCause cause) {
    RemovalCause dead = listener == null ? null : deadCause(entry);
    return dead != null ? dead : cause;
  }

  /** Removes everything, here only. */
  @Override
  public void clearLocal(RemovalCause cause) {
    long held;
    synchronized (this) {
      held = store.estimatedSize();
      clearCause = cause;
      epoch++;
    }
    // Every flight and entry of the old epoch is already dead to readers; clearing frees memory.
    flights.values().forEach(Flight::voidLease);
    flights.clear();
    long cleared = epoch;
    for (Map.Entry<K, Entry<V>> e : store.asMap().entrySet()) {
      Entry<V> entry = e.getValue();
      // Only what the old epoch held: an entry loaded since belongs to the new one and stays.
      if (entry.epoch < cleared && store.asMap().remove(e.getKey(), entry)) {
        retire(e.getKey(), entry, cause);
      }
    }
    stats.invalidations.add(held);
  }

  /** Invalidates, here only, the key a string names, if it names one of this cache's keys. */
  @Override
  public void invalidateNamed(String keyName, RemovalCause cause) {
    K key = keyOf(keyName);
    if (key != null) {
      invalidateLocal(key, cause);
    }
  }

  /**
   * Invalidates, here only, every key whose name matches {@code glob}, loads in flight included.
   */
  @Override
  public void invalidateMatching(String glob, RemovalCause cause) {
    List<K> matched = new ArrayList<>();
    for (K key : store.asMap().keySet()) {
      if (Names.matches(glob, keyName(key))) {
        matched.add(key);
      }
    }
    for (K key : flights.keySet()) {
      if (Names.matches(glob, keyName(key))) {
        matched.add(key);
      }
    }
    for (K key : writing.keySet()) {
      if (Names.matches(glob, keyName(key))) {
        matched.add(key);
      }
    }
    matched.forEach(key -> invalidateLocal(key, cause));
  }

  /**
   * Applies an update event here: replaces the entry if the update is newer than it, otherwise
   * invalidates it. A key this instance does not hold stays absent (the next read loads it).
   */
  @Override
  public void applyUpdate(String keyName, Object wireValue, long version, RemovalCause cause) {
    K key = keyOf(keyName);
    if (key == null) {
      return;
    }
    Entry<V> old = current(store.policy().getIfPresentQuietly(key));
    V value = wireValue == null ? null : decodeValue(keyName, wireValue);
    if (value == null
        || old == null
        || version == InvalidationHistory.NO_VERSION
        || old.meta.version() == InvalidationHistory.NO_VERSION
        || version <= old.meta.version()) {
      invalidateLocal(key, cause);
      return;
    }
    try {
      Entry.Meta meta = putMeta(key, value, new PutOption[] {Version.of(version)});
      writeLocal(key, value, freshFor(key, value), meta);
    } catch (RuntimeException refused) {
      invalidateLocal(key, cause);
    }
  }

  /**
   * The version of the entry held for the key a name denotes, or {@link
   * InvalidationHistory#NO_VERSION}.
   */
  @Override
  public long heldVersion(String keyName) {
    K key = keyOf(keyName);
    Entry<V> entry = key == null ? null : store.policy().getIfPresentQuietly(key);
    return entry == null ? InvalidationHistory.NO_VERSION : entry.meta.version();
  }

  private V decodeValue(String keyName, Object wireValue) {
    try {
      return EventCodec.valueAs(wireValue, valueType);
    } catch (IllegalArgumentException e) {
      log.debug(
          "cache '{}': update of {} carries a value that is not a {}; invalidating instead",
          name,
          keyName,
          valueType.getName());
      return null;
    }
  }

  /** Drops an entry found dead on read (a tag of it was invalidated). */
  private void drop(K key, Entry<V> entry) {
    if (store.asMap().remove(key, entry)) {
      retire(
          key,
          entry,
          listener == null
              ? RemovalCause.INVALIDATED
              : history.tagCause(entry.meta.tags(), entry.meta.since()));
      stats.invalidations.increment();
    }
  }

  /** The key's name on the bus: the prefix and the codec's string form. */
  @Override
  public String keyName(K key) {
    return prefix + codec.encode(key);
  }

  /** The key a name denotes in this cache, or null if it denotes none. */
  K keyOf(String keyName) {
    if (!keyName.startsWith(prefix)) {
      return null;
    }
    K key = codec.decode(keyName.substring(prefix.length()));
    return key != null && keyType.isInstance(key) ? key : null;
  }

  /** Voids and removes the key's flight, if any; call under the key's lock in the store. */
  private boolean voidFlight(K key) {
    Flight<V> flight = flights.remove(key);
    if (flight == null) {
      return false;
    }
    flight.voidLease();
    return true;
  }

  // ---------------------------------------------------------------- expiry bookkeeping

  /** What Caffeine's upkeep removed: by size, by time, or collected. */
  private void onEviction(
      K key, Entry<V> entry, com.github.benmanes.caffeine.cache.RemovalCause cause) {
    if (entry == null) {
      return;
    }
    retire(
        key,
        entry,
        deadOr(
            entry,
            cause == com.github.benmanes.caffeine.cache.RemovalCause.EXPIRED
                ? RemovalCause.EXPIRED
                : RemovalCause.EVICTED));
    if (cause == com.github.benmanes.caffeine.cache.RemovalCause.SIZE) {
      stats.evictions.increment();
    } else if (cause == com.github.benmanes.caffeine.cache.RemovalCause.EXPIRED) {
      countExpiry(entry);
    }
  }

  private void countExpiry(Entry<V> entry) {
    if (!entry.expiryCounted) {
      entry.expiryCounted = true;
      stats.expirations.increment();
    }
  }

  // ---------------------------------------------------------------- the map view

  @Override
  public ConcurrentMap<K, V> asMap() {
    return map;
  }

  /**
   * The key's value if a read could be served it fresh now, with no side effect (no statistics, no
   * access recorded, no refresh started); else null.
   */
  V peek(K key) {
    checks.key(key);
    Entry<V> entry = store.policy().getIfPresentQuietly(key);
    return entry != null && !entry.isAbsent() && visible(entry, ticker.read()) ? entry.value : null;
  }

  private boolean visible(Entry<V> entry, long now) {
    return alive(entry) && entry.isFresh(now) && group.trusted();
  }

  /** The fresh entries of the local tier, weakly consistent, as {@link #peek} judges them. */
  Iterator<Map.Entry<K, V>> visibleEntries() {
    Iterator<Map.Entry<K, Entry<V>>> all = store.asMap().entrySet().iterator();
    long now = ticker.read();
    return new Iterator<>() {
      private Map.Entry<K, V> next = advance();

      private Map.Entry<K, V> advance() {
        while (all.hasNext()) {
          Map.Entry<K, Entry<V>> e = all.next();
          if (!e.getValue().isAbsent() && visible(e.getValue(), now)) {
            return Map.entry(e.getKey(), e.getValue().value);
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map.Entry<K, V> next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Map.Entry<K, V> current = next;
        next = advance();
        return current;
      }
    };
  }

  // ---------------------------------------------------------------- analytics

  @Override
  public CacheAnalytics<K> analytics() {
    return analytics;
  }

  /** The entries as Caffeine holds them, for {@link Analytics}; never for reads. */
  Cache<K, Entry<V>> store() {
    return store;
  }

  /** Not invalidated by invalidateAll or by one of its tags (whatever the bus says now). */
  @SuppressWarnings("unchecked")
  private FreshnessVerifier<K, V> verifier(
      Verify<? super K, V> verify, java.util.function.ToLongFunction<? super V> versionOf) {
    Source<? super K, ? extends V> against =
        verify.against != null ? (Source<? super K, ? extends V>) verify.against : source;
    return new FreshnessVerifier<>(
        name,
        new FreshnessVerifier.Cache<K, V>() {
          @Override
          public Entry<V> servable(K key) {
            Entry<V> entry = store.policy().getIfPresentQuietly(key);
            return entry != null && alive(entry) && ticker.read() < entry.freshUntil()
                ? entry
                : null;
          }

          @Override
          public String keyName(K key) {
            return LocalCache.this.keyName(key);
          }
        },
        against,
        versionOf,
        ticker,
        verify.executor != null ? verify.executor : executor,
        verify.sampleRate,
        verify.random,
        verify.readsPerSecond,
        verify.grace);
  }

  /** What the freshness verifier found so far; empty if the cache does not verify. */
  java.util.Optional<io.freshcache.stats.VerifierStats> verification() {
    return verifier == null ? java.util.Optional.empty() : java.util.Optional.of(verifier.stats());
  }

  boolean alive(Entry<V> entry) {
    return entry.epoch == epoch
        && (entry.meta.tags().length == 0
            || !history.tagsInvalidatedSince(entry.meta.tags(), entry.meta.since()));
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public String name() {
    return name;
  }

  @Override
  public CacheGroup group() {
    return group.group;
  }

  @Override
  public AsyncFreshCache<K, V> async() {
    return async;
  }

  @Override
  public long estimatedSize() {
    settle();
    return store.estimatedSize();
  }

  @Override
  public void settle() {
    retention.sync();
    store.cleanUp();
  }

  @Override
  public void close() {
    group.leave(this);
    writePath.close();
    if (meters != null) {
      try {
        meters.close();
      } catch (Exception e) {
        log.warn("cache '{}': could not remove its meters", name, e);
      }
    }
  }

  @Override
  public String toString() {
    return "FreshCache[" + name + ", " + expiry + "]";
  }

  private Entry<V> current(Entry<V> entry) {
    return entry != null && entry.epoch == epoch ? entry : null;
  }

  private void requireSource() {
    if (source == null) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "' has no source to load from: configure .source(...) on the"
              + " builder, pass a loader to get(key, loader), or use getIfPresent/put");
    }
  }

  /** Waits for a load; rethrows its failure as the source threw it (unchecked) or wrapped. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
