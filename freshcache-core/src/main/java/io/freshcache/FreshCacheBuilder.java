package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.event.Names;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * Configures and builds a {@link FreshCache}. Each setting may be given once; a second call fails
 * with the value already set, so a configuration never silently overrides itself. Settings left out
 * take the defaults named on each method. Not thread-safe; the cache it builds is.
 *
 * <pre>{@code
 * FreshCache<Long, User> users = FreshCache.builder("users", Long.class, User.class)
 *     .maximumSize(100_000)
 *     .expiry(Expiry.ttl(Duration.ofHours(1)).jitter(0.2))
 *     .refresh(Refresh.ahead(0.8).staleIfError(Duration.ofMinutes(5)))
 *     .source(userRepository::load)
 *     .build();
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class FreshCacheBuilder<K, V> {

  static final int DEFAULT_MAX_KEY_LENGTH = 1024;

  final String name;
  final Class<K> keyType;
  final Class<V> valueType;
  long maximumSize = -1;
  long maximumWeight = -1;
  Weigher<? super K, ? super V> weigher;
  Expiry<K, V> expiry = Expiry.never();
  Refresh refresh = Refresh.none();
  Source<K, V> source;
  Ticker ticker = Ticker.systemTicker();
  Executor executor = ForkJoinPool.commonPool();
  Object meterRegistry;
  int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
  GroupContext group;
  String keyPrefix = "";
  KeyCodec<K> keyCodec;
  BiFunction<? super K, ? super V, Tags> tagsOf;
  BiFunction<? super K, ? super V, DependsOn> dependsOnOf;
  ToLongFunction<? super V> versionOf;
  Writes<K, V> writes;
  ValueCodec<V> valueCodec;
  RemovalListener<? super K, ? super V> removalListener;
  java.time.Duration negativeTtl;

  private boolean maximumSizeSet;
  private boolean expirySet;
  private boolean refreshSet;
  private boolean tickerSet;
  private boolean executorSet;
  private boolean maxKeyLengthSet;

  FreshCacheBuilder(String name, Class<K> keyType, Class<V> valueType) {
    this(name, keyType, valueType, null);
  }

  FreshCacheBuilder(String name, Class<K> keyType, Class<V> valueType, GroupContext group) {
    this.name = Names.requireName(name, "cache name");
    this.keyType = Objects.requireNonNull(keyType, "keyType must not be null");
    this.valueType = Objects.requireNonNull(valueType, "valueType must not be null");
    this.group = group;
  }

  /**
   * The most entries the in-process tier holds; beyond it Caffeine evicts by frequency and recency
   * (W-TinyLFU). Default: unbounded.
   */
  public FreshCacheBuilder<K, V> maximumSize(long maximumSize) {
    once(maximumSizeSet, "maximumSize", this.maximumSize);
    if (maximumWeight >= 0) {
      throw new IllegalStateException(
          "maximumSize cannot be combined with maximumWeight (already set to "
              + maximumWeight
              + "): bound the cache by entry count or by weight, not both");
    }
    if (maximumSize < 0) {
      throw new IllegalArgumentException("maximumSize must not be negative, was " + maximumSize);
    }
    this.maximumSize = maximumSize;
    maximumSizeSet = true;
    return this;
  }

  /**
   * The most total weight the in-process tier holds, entries weighed by {@link #weigher}; beyond it
   * Caffeine evicts as it does for {@link #maximumSize}. Requires a weigher; excludes {@code
   * maximumSize}. Default: unbounded.
   */
  public FreshCacheBuilder<K, V> maximumWeight(long maximumWeight) {
    once(this.maximumWeight >= 0, "maximumWeight", this.maximumWeight);
    if (maximumSizeSet) {
      throw new IllegalStateException(
          "maximumWeight cannot be combined with maximumSize (already set to "
              + maximumSize
              + "): bound the cache by entry count or by weight, not both");
    }
    if (maximumWeight < 0) {
      throw new IllegalArgumentException(
          "maximumWeight must not be negative, was " + maximumWeight);
    }
    this.maximumWeight = maximumWeight;
    return this;
  }

  /** How entries are weighed for {@link #maximumWeight}; only with it. Default: none. */
  public FreshCacheBuilder<K, V> weigher(Weigher<? super K, ? super V> weigher) {
    once(this.weigher != null, "weigher", this.weigher);
    this.weigher = Objects.requireNonNull(weigher, "weigher must not be null");
    return this;
  }

  /** How long entries stay fresh. Default: {@link Expiry#never()}. */
  @SuppressWarnings("unchecked")
  public FreshCacheBuilder<K, V> expiry(Expiry<? super K, ? super V> expiry) {
    once(expirySet, "expiry", this.expiry);
    // Safe: an expiry that accepts supertypes of K and V accepts K and V.
    this.expiry = (Expiry<K, V>) Objects.requireNonNull(expiry, "expiry must not be null");
    expirySet = true;
    return this;
  }

  /** When entries reload in the background and how long stale values may be served. */
  public FreshCacheBuilder<K, V> refresh(Refresh refresh) {
    once(refreshSet, "refresh", this.refresh);
    this.refresh = Objects.requireNonNull(refresh, "refresh must not be null");
    refreshSet = true;
    return this;
  }

  /** Where misses and refreshes load from (read-through). Default: none; get() then fails. */
  @SuppressWarnings("unchecked")
  public FreshCacheBuilder<K, V> source(Source<? super K, ? extends V> source) {
    once(this.source != null, "source", this.source);
    // Safe: a source taking a supertype of K and returning a subtype of V serves K -> V.
    this.source = (Source<K, V>) Objects.requireNonNull(source, "source must not be null");
    return this;
  }

  /** The clock of every time-based strategy. Default: {@link Ticker#systemTicker()}. */
  public FreshCacheBuilder<K, V> ticker(Ticker ticker) {
    once(tickerSet, "ticker", this.ticker);
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    tickerSet = true;
    return this;
  }

  /**
   * Runs async loads and background refreshes. Default: {@link ForkJoinPool#commonPool()}; give a
   * pool of your own when the source blocks (JDBC, HTTP).
   */
  public FreshCacheBuilder<K, V> executor(Executor executor) {
    once(executorSet, "executor", this.executor);
    this.executor = Objects.requireNonNull(executor, "executor must not be null");
    executorSet = true;
    return this;
  }

  /**
   * Publishes the cache's statistics as Micrometer meters named {@code freshcache.cache.*}, tagged
   * with the cache's name. Default: none (statistics stay available through {@link
   * FreshCache#analytics()}).
   */
  public FreshCacheBuilder<K, V> metrics(MeterRegistry registry) {
    once(meterRegistry != null, "metrics", meterRegistry);
    this.meterRegistry = Objects.requireNonNull(registry, "registry must not be null");
    return this;
  }

  /** The longest string key accepted, in characters. Default: 1024. */
  public FreshCacheBuilder<K, V> maxKeyLength(int maxKeyLength) {
    once(maxKeyLengthSet, "maxKeyLength", this.maxKeyLength);
    if (maxKeyLength < 1) {
      throw new IllegalArgumentException("maxKeyLength must be positive, was " + maxKeyLength);
    }
    this.maxKeyLength = maxKeyLength;
    maxKeyLengthSet = true;
    return this;
  }

  /**
   * A prefix of every key's name in the group, e.g. {@code "user:profile:"}: lets caches with
   * overlapping keys (two caches keyed by id) be told apart by patterns, events and dependencies.
   * Default: none.
   */
  public FreshCacheBuilder<K, V> keyPrefix(String prefix) {
    once(!keyPrefix.isEmpty(), "keyPrefix", keyPrefix);
    Objects.requireNonNull(prefix, "keyPrefix must not be null");
    if (prefix.isEmpty() || prefix.length() > 256) {
      throw new IllegalArgumentException(
          "keyPrefix must be 1 to 256 characters, was \"" + prefix + "\"");
    }
    this.keyPrefix = prefix;
    return this;
  }

  /**
   * How keys are named on the bus. Built in for String, Long, Integer and UUID keys; required for
   * other key types in a group with a bus.
   */
  public FreshCacheBuilder<K, V> keyCodec(KeyCodec<K> codec) {
    once(keyCodec != null, "keyCodec", keyCodec);
    this.keyCodec = Objects.requireNonNull(codec, "keyCodec must not be null");
    return this;
  }

  /** The tags of each loaded (or put without {@link Tags}) entry, e.g. its organisation. */
  public FreshCacheBuilder<K, V> tags(BiFunction<? super K, ? super V, Tags> tagsOf) {
    once(this.tagsOf != null, "tags", this.tagsOf);
    this.tagsOf = Objects.requireNonNull(tagsOf, "tags function must not be null");
    return this;
  }

  /** The keys each loaded (or put without {@link DependsOn}) entry was derived from. */
  public FreshCacheBuilder<K, V> dependsOn(
      BiFunction<? super K, ? super V, DependsOn> dependsOnOf) {
    once(this.dependsOnOf != null, "dependsOn", this.dependsOnOf);
    this.dependsOnOf = Objects.requireNonNull(dependsOnOf, "dependsOn function must not be null");
    return this;
  }

  /**
   * The version of a value (e.g. its row version), for loads and puts without {@link Version}:
   * older values than the cache has seen are then refused.
   */
  public FreshCacheBuilder<K, V> version(ToLongFunction<? super V> versionOf) {
    once(this.versionOf != null, "version", this.versionOf);
    this.versionOf = Objects.requireNonNull(versionOf, "version function must not be null");
    return this;
  }

  /** How puts reach the source of truth. Default: they do not (the cache only). */
  @SuppressWarnings("unchecked")
  public FreshCacheBuilder<K, V> writes(Writes<? super K, ? super V> writes) {
    once(this.writes != null, "writes", this.writes);
    // Safe: a policy writing supertypes of K and V writes K and V.
    this.writes = (Writes<K, V>) Objects.requireNonNull(writes, "writes must not be null");
    return this;
  }

  /**
   * How values are turned into bytes for the group's shared tier. Default: JSON through
   * freshcache's own Jackson mapper ({@link ValueCodec#json(Class)}: records, beans, {@code
   * java.time}, {@code Optional}); {@link ValueCodec#json(Class,
   * com.fasterxml.jackson.databind.ObjectMapper)} takes the application's mapper. Whichever codec
   * it is, the first value of each class is checked by a round trip (see {@link ValueCodec}).
   * Unused without a shared tier.
   */
  public FreshCacheBuilder<K, V> valueCodec(ValueCodec<V> codec) {
    once(valueCodec != null, "valueCodec", valueCodec);
    this.valueCodec = Objects.requireNonNull(codec, "valueCodec must not be null");
    return this;
  }

  /**
   * Told of every entry that leaves the in-process tier, with why ({@link RemovalCause}): expired,
   * evicted by size or weight, invalidated here or by the bus, replaced. Called synchronously on
   * the removing thread (see {@link RemovalListener} for which thread and what it may do); a
   * listener that throws is logged and changes nothing. A hit never calls it. Default: none.
   */
  public FreshCacheBuilder<K, V> removalListener(RemovalListener<? super K, ? super V> listener) {
    once(removalListener != null, "removalListener", removalListener);
    this.removalListener = Objects.requireNonNull(listener, "removalListener must not be null");
    return this;
  }

  /**
   * Caches a source's "not found" for {@code ttl}: a source or loader that returns {@code null} for
   * a key then means the key does not exist, and {@code get} returns {@code null} for it, without
   * asking the source again, until {@code ttl} has passed or the key is invalidated or put (by key,
   * pattern or everything, here or from the bus, like any entry; a "not found" carries no tags,
   * dependencies or version). A {@link Source#loadAll} result that leaves a key out says it was not
   * found, and {@code getAll} leaves it out of its map. "Not found" is kept on this instance only
   * (not in the shared tier), is not reported to a removal listener, does not slide with {@link
   * Expiry#sliding}, weighs 1 and is invisible to {@link FreshCache#asMap()}. Under {@link
   * Expiry#never()} the tier keeps no timers, so a "not found" nobody reads again stays in memory
   * (not served) until a size bound evicts it, as an entry put with a TTL does there. Default:
   * none, and a {@code null} from a source fails the load with a {@link CacheLoadException}.
   *
   * @param ttl how long "not found" is believed, typically much shorter than the expiry of values;
   *     positive
   */
  public FreshCacheBuilder<K, V> negativeCaching(java.time.Duration ttl) {
    once(negativeTtl != null, "negativeCaching", negativeTtl);
    Objects.requireNonNull(ttl, "negativeCaching ttl must not be null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "negativeCaching ttl must be positive, was "
              + ttl
              + "; leave negativeCaching out for loads that find nothing to fail");
    }
    this.negativeTtl = ttl;
    return this;
  }

  ValueCodec<V> valueCodec() {
    return valueCodec != null ? valueCodec : ValueCodec.json(valueType);
  }

  KeyCodec<K> codec() {
    if (keyCodec != null) {
      return keyCodec;
    }
    KeyCodec<K> builtIn = KeyCodec.builtIn(keyType);
    if (builtIn != null) {
      return builtIn;
    }
    // Only names keys, never resolves a name back: fine for a cache no bus event can address.
    return KeyCodec.of(String::valueOf, text -> null);
  }

  /** Builds the cache. Fails if the settings contradict each other, saying which and why. */
  public FreshCache<K, V> build() {
    if (group == null) {
      group = CacheGroup.standalone(ticker);
    }
    if (keyCodec == null && KeyCodec.builtIn(keyType) == null && group.hasBus) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': keys of type "
              + keyType.getName()
              + " need a KeyCodec to be"
              + " named on the bus; add .keyCodec(KeyCodec.of(key -> ..., text -> ...))");
    }
    if (maximumWeight >= 0 && weigher == null) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': maximumWeight("
              + maximumWeight
              + ") needs a weigher to weigh entries;"
              + " add .weigher((key, value) -> ...), or use maximumSize to count them");
    }
    if (weigher != null && maximumWeight < 0) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': a weigher is set but no maximumWeight bounds the weights;"
              + " add .maximumWeight(...) or drop .weigher(...)");
    }
    if (!refresh.isNone() && source == null) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': refresh "
              + refresh
              + " reloads entries from a source, but none"
              + " is set; add .source(...) or drop .refresh(...)");
    }
    if (!refresh.isNone() && !expirySet) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': refresh "
              + refresh
              + " acts on entries that expire, but no"
              + " expiry is set; add .expiry(...), e.g. Expiry.ttl(Duration.ofMinutes(10))");
    }
    return new LocalCache<>(this);
  }

  private void once(boolean alreadySet, String setting, Object current) {
    if (alreadySet) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
  }
}
