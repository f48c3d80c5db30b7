package io.freshcache.spring;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.DependsOn;
import io.freshcache.Expiry;
import io.freshcache.Refresh;
import io.freshcache.Source;
import io.freshcache.Tags;
import io.freshcache.ValueCodec;
import io.freshcache.Writes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The settings of one Spring cache, filled in before its freshcache cache is built: from {@code
 * freshcache.caches.<name>.*} properties first, then from every {@link FreshCacheCustomizer}, so
 * code has the last word. A setting called twice keeps the second value. Not thread-safe; the cache
 * built from it copies what it needs and does not see later changes.
 *
 * <p>Spring caches hold any object: functions that read a value ({@link #tags}, {@link #dependsOn},
 * {@link #version}) name the class they apply to and are skipped for other values and for cached
 * nulls.
 */
public final class CacheSpec {

  final String name;
  Long maximumSize;
  Expiry<? super String, ? super Object> expiry;
  Refresh refresh;
  Duration nullTtl;
  Boolean allowNullValues;
  String keyPrefix;
  Class<?> valueType;
  ValueCodec<Object> valueCodec;
  final List<Function<Object, Tags>> tags = new ArrayList<>();
  Function<Object, DependsOn> dependsOn;
  ToLongFunction<Object> version;
  Writes<? super String, ? super Object> writes;
  Executor executor;
  Ticker ticker;
  Source<? super String, ?> source;

  CacheSpec(String name) {
    this.name = name;
  }

  /** The Spring cache's name, which is also the freshcache cache's name. */
  public String name() {
    return name;
  }

  /** The most entries held in this instance's memory. Default: unbounded. */
  public CacheSpec maximumSize(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException(
          "cache '" + name + "': maximumSize must not be negative, was " + maximumSize);
    }
    this.maximumSize = maximumSize;
    return this;
  }

  /**
   * How long entries stay fresh, e.g. {@code Expiry.ttl(Duration.ofMinutes(10)).jitter(0.2)}. A
   * cached null reaches the policy as {@link org.springframework.cache.support.NullValue#INSTANCE}
   * unless {@link #nullTtl} is set. Default: never expire.
   */
  public CacheSpec expiry(Expiry<? super String, ? super Object> expiry) {
    this.expiry = Objects.requireNonNull(expiry, "expiry must not be null");
    return this;
  }

  /** Background refresh and stale windows; needs a loader, so it applies to {@code sync} loads. */
  public CacheSpec refresh(Refresh refresh) {
    this.refresh = Objects.requireNonNull(refresh, "refresh must not be null");
    return this;
  }

  /**
   * Negative caching: a cached null ("not found") stays for {@code ttl} instead of the cache's
   * expiry. Implies that nulls are allowed.
   */
  public CacheSpec nullTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "nullTtl must not be null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "cache '" + name + "': nullTtl must be positive, was " + ttl);
    }
    this.nullTtl = ttl;
    return this;
  }

  /**
   * Whether a method returning null caches that null (Spring's {@code allowNullValues}); if not, a
   * null put is refused with an error. Default: the manager's setting.
   */
  public CacheSpec allowNullValues(boolean allow) {
    this.allowNullValues = allow;
    return this;
  }

  /**
   * The prefix of every key's name in the group, which tags, patterns, {@link DependsOn} and bus
   * events use. Default: the cache's name and a colon ({@code users:42}).
   */
  public CacheSpec keyPrefix(String prefix) {
    this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix must not be null");
    return this;
  }

  /**
   * The class of this cache's values, for the shared tier: values are then stored as plain JSON of
   * that class, readable by any instance. Default: JSON that names each value's class, accepted
   * only for classes in the manager's trusted packages.
   */
  public CacheSpec valueType(Class<?> type) {
    this.valueType = Objects.requireNonNull(type, "valueType must not be null");
    return this;
  }

  /** How values become bytes in the shared tier, replacing {@link #valueType}'s JSON. */
  public CacheSpec valueCodec(ValueCodec<Object> codec) {
    this.valueCodec = Objects.requireNonNull(codec, "valueCodec must not be null");
    return this;
  }

  /** Tags of each value of {@code type}, e.g. its category; added to tags set before. */
  public <V> CacheSpec tags(Class<V> type, Function<? super V, Tags> tagsOf) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(tagsOf, "tags function must not be null");
    tags.add(value -> type.isInstance(value) ? tagsOf.apply(type.cast(value)) : null);
    return this;
  }

  /** The keys (by name, e.g. {@code "users:7"}) each value of {@code type} was derived from. */
  public <V> CacheSpec dependsOn(Class<V> type, Function<? super V, DependsOn> dependsOnOf) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(dependsOnOf, "dependsOn function must not be null");
    this.dependsOn = value -> type.isInstance(value) ? dependsOnOf.apply(type.cast(value)) : null;
    return this;
  }

  /**
   * The version of each value of {@code type} (e.g. its row version): a put or load older than what
   * the cache has seen of the key is refused.
   */
  public <V> CacheSpec version(Class<V> type, ToLongFunction<? super V> versionOf) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(versionOf, "version function must not be null");
    this.version =
        value -> type.isInstance(value) ? versionOf.applyAsLong(type.cast(value)) : Long.MIN_VALUE;
    return this;
  }

  /**
   * How {@code @CachePut} and {@link org.springframework.cache.Cache#put} reach the source of truth
   * (write-through, write-around, write-behind); the writer receives the key's name without its
   * prefix. Default: the cache only.
   */
  public CacheSpec writes(Writes<? super String, ? super Object> writes) {
    this.writes = Objects.requireNonNull(writes, "writes must not be null");
    return this;
  }

  /**
   * Where background refreshes and stale-window reloads load from, by the key's text (its name
   * without the prefix: {@code "42"} for {@code users:42}). Spring's own loads ({@code sync =
   * true}) call the annotated method instead; without a source, {@link #refresh} is refused.
   */
  public CacheSpec source(Source<? super String, ?> source) {
    this.source = Objects.requireNonNull(source, "source must not be null");
    return this;
  }

  /** Whether a source is set (see {@link #source}). */
  public boolean hasSource() {
    return source != null;
  }

  /** Whether a refresh or stale window is set (see {@link #refresh}). */
  public boolean hasRefresh() {
    return refresh != null;
  }

  /** Runs async loads and background refreshes. Default: the manager's executor, if any. */
  public CacheSpec executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor must not be null");
    return this;
  }

  /** The clock of every time-based setting, for tests. Default: the system ticker. */
  public CacheSpec ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    return this;
  }

  @Override
  public String toString() {
    return "CacheSpec[" + name + "]";
  }
}
