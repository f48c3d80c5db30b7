package io.freshcache.spring;

import io.freshcache.CacheLoadException;
import io.freshcache.FreshCache;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.support.NullValue;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} over one freshcache cache of a group. Keys become their names in the group
 * ({@code users:42}); values are held as they are, a cached null as {@link NullValue}.
 *
 * <ul>
 *   <li>{@link #get(Object, Callable)} ({@code @Cacheable(sync = true)}) loads a miss once per key
 *       at a time on this instance, and once across instances when the group has a shared tier; a
 *       load that an eviction or put overtakes is returned to its callers and not stored.
 *   <li>{@link #put}, {@link #evict} and {@link #clear} go through the group: every other instance
 *       drops its copy, and the shared tier is kept in step (a clear never scans keys with {@code
 *       KEYS}).
 *   <li>Inside a Spring-managed transaction, puts, evictions and clears wait for the commit and are
 *       dropped on rollback; until the commit other readers keep the old entry (they do not reload
 *       the row being changed), while the transaction sees its own changes. {@link #evictIfPresent}
 *       and {@link #invalidate} wait too, unlike Spring's transaction-aware decorator, which
 *       applies them at once.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FreshSpringCache implements Cache {

  /** Thrown through a load whose loader returned null in a cache that does not cache nulls. */
  private static final class NotCached extends RuntimeException {
    NotCached() {
      super(null, null, false, false);
    }
  }

  private final FreshCache<String, Object> cache;
  private final Function<Object, String> keyNames;
  private final boolean allowNullValues;
  private final LongAdder puts = new LongAdder();

  FreshSpringCache(
      FreshCache<String, Object> cache, Function<Object, String> keyNames, boolean allowNull) {
    this.cache = cache;
    this.keyNames = keyNames;
    this.allowNullValues = allowNull;
  }

  @Override
  public String getName() {
    return cache.name();
  }

  /** The freshcache cache: its analytics, per-entry TTLs, tags and versions on put. */
  @Override
  public FreshCache<String, Object> getNativeCache() {
    return cache;
  }

  /** Whether a null value is cached (as {@link NullValue}) or refused. */
  public boolean isAllowNullValues() {
    return allowNullValues;
  }

  /** How many puts this Spring cache was asked for on this instance (applied or pending). */
  public long putCount() {
    return puts.sum();
  }

  /** The name {@code key} has in the group (its cache's prefix and its text), e.g. "users:42". */
  public String keyName(Object key) {
    return cache.keyName(keyNames.apply(key));
  }

  @Override
  public ValueWrapper get(Object key) {
    Object stored = lookup(keyNames.apply(key));
    return stored == null ? null : new SimpleValueWrapper(fromStore(stored));
  }

  @Override
  public <T> T get(Object key, Class<T> type) {
    Object stored = lookup(keyNames.apply(key));
    Object value = stored == null ? null : fromStore(stored);
    if (value != null && type != null && !type.isInstance(value)) {
      throw new IllegalStateException(
          "cache '"
              + getName()
              + "': the value of "
              + key
              + " is a "
              + value.getClass().getName()
              + ", not a "
              + type.getName());
    }
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    String name = keyNames.apply(key);
    PendingChanges pending = AfterCommit.pending(this, false, null);
    Object known = pending == null ? null : pending.lookup(name);
    if (known == PendingChanges.EVICTED) {
      // This transaction changed the key: what it loads now is not committed, so it is not stored.
      return (T) callDirectly(key, valueLoader);
    }
    if (known != null) {
      return (T) fromStore(known);
    }
    try {
      return (T) fromStore(cache.get(name, k -> toStore(call(key, valueLoader))));
    } catch (NotCached notCached) {
      return null;
    } catch (CacheLoadException e) {
      throw new ValueRetrievalException(key, valueLoader, e.getCause() == null ? e : e.getCause());
    }
  }

  @Override
  public CompletableFuture<?> retrieve(Object key) {
    Object stored = lookup(keyNames.apply(key));
    if (stored == null) {
      return null;
    }
    Object value = fromStore(stored);
    return CompletableFuture.completedFuture(
        allowNullValues ? new SimpleValueWrapper(value) : value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    Objects.requireNonNull(valueLoader, "valueLoader must not be null");
    String name = keyNames.apply(key);
    PendingChanges pending = AfterCommit.pending(this, false, null);
    Object known = pending == null ? null : pending.lookup(name);
    if (known == PendingChanges.EVICTED) {
      return valueLoader.get();
    }
    if (known != null) {
      return CompletableFuture.completedFuture((T) fromStore(known));
    }
    return cache
        .async()
        .get(name, (k, executor) -> valueLoader.get().thenApply(this::toStoreOrNotCached))
        .handle(
            (stored, failure) -> {
              if (failure == null) {
                return (T) fromStore(stored);
              }
              Throwable cause = unwrap(failure);
              if (cause instanceof NotCached) {
                return null;
              }
              throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            });
  }

  @Override
  public void put(Object key, Object value) {
    String name = keyNames.apply(key);
    Object stored = toStore(value);
    puts.increment();
    PendingChanges pending = AfterCommit.pending(this, true, this::newPending);
    if (pending != null) {
      pending.put(name, stored);
    } else {
      cache.put(name, stored);
    }
  }

  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    String name = keyNames.apply(key);
    Object stored = toStore(value);
    PendingChanges pending = AfterCommit.pending(this, true, this::newPending);
    if (pending != null) {
      ValueWrapper existing = get(key);
      if (existing == null) {
        pending.put(name, stored);
      }
      return existing;
    }
    boolean[] ours = new boolean[1];
    Object current =
        cache.get(
            name,
            k -> {
              ours[0] = true;
              return stored;
            });
    return ours[0] && current == stored ? null : new SimpleValueWrapper(fromStore(current));
  }

  @Override
  public void evict(Object key) {
    String name = keyNames.apply(key);
    PendingChanges pending = AfterCommit.pending(this, true, this::newPending);
    if (pending != null) {
      pending.evict(name);
    } else {
      cache.invalidate(name);
    }
  }

  @Override
  public boolean evictIfPresent(Object key) {
    boolean present = lookup(keyNames.apply(key)) != null;
    evict(key);
    return present;
  }

  @Override
  public void clear() {
    PendingChanges pending = AfterCommit.pending(this, true, this::newPending);
    if (pending != null) {
      pending.clear();
    } else {
      cache.invalidateAll();
    }
  }

  @Override
  public boolean invalidate() {
    boolean held = cache.estimatedSize() > 0;
    clear();
    return held;
  }

  @Override
  public String toString() {
    return "FreshSpringCache[" + getName() + "]";
  }

  // ---------------------------------------------------------------- values

  private PendingChanges newPending() {
    return new PendingChanges(cache);
  }

  /** The stored value of {@code name} as this thread sees it: its transaction's, or the cache's. */
  private Object lookup(String name) {
    PendingChanges pending = AfterCommit.pending(this, false, null);
    Object known = pending == null ? null : pending.lookup(name);
    if (known == PendingChanges.EVICTED) {
      return null;
    }
    return known != null ? known : cache.getIfPresent(name);
  }

  private Object toStore(Object value) {
    if (value != null) {
      return value;
    }
    if (allowNullValues) {
      return NullValue.INSTANCE;
    }
    throw new IllegalArgumentException(
        "cache '"
            + getName()
            + "' does not cache null values, but null was given: allow them"
            + " (freshcache.caches."
            + getName()
            + ".allow-null-values=true), or add unless = \"#result == null\" to the annotation");
  }

  private Object toStoreOrNotCached(Object value) {
    if (value == null && !allowNullValues) {
      throw new NotCached();
    }
    return toStore(value);
  }

  private static Object fromStore(Object stored) {
    return stored instanceof NullValue ? null : stored;
  }

  /** Calls a sync loader inside a load: failures as Spring's ValueRetrievalException. */
  private Object call(Object key, Callable<?> loader) {
    Object value;
    try {
      value = loader.call();
    } catch (Exception e) {
      throw new ValueRetrievalException(key, loader, e);
    }
    if (value == null && !allowNullValues) {
      throw new NotCached();
    }
    return value;
  }

  private static Object callDirectly(Object key, Callable<?> loader) {
    try {
      return loader.call();
    } catch (Exception e) {
      throw new ValueRetrievalException(key, loader, e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
