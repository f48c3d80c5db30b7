package io.freshcache.jcache;

import java.util.Objects;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@code EntryProcessor} works on. It records what the processor did, and the cache
 * applies the outcome once the processor returns (nothing if it throws): a value read, loaded,
 * created, updated or removed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

  /** What the invocation does to the cache, decided by the processor's calls. */
  enum Outcome {
    NONE,
    ACCESSED,
    LOADED,
    CREATED,
    UPDATED,
    REMOVED
  }

  private final K key;
  private final V original;
  private final Function<K, V> loader;
  private V value;
  private Outcome outcome = Outcome.NONE;

  /**
   * @param original the value in the cache before the processor runs, or null
   * @param loader loads the key for {@link #getValue} on a read-through cache, or null
   */
  ProcessorEntry(K key, V original, Function<K, V> loader) {
    this.key = key;
    this.original = original;
    this.value = original;
    this.loader = loader;
  }

  Outcome outcome() {
    return outcome;
  }

  V original() {
    return original;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (outcome == Outcome.NONE) {
      if (value != null) {
        outcome = Outcome.ACCESSED;
      } else if (loader != null) {
        value = loader.apply(key);
        if (value != null) {
          outcome = Outcome.LOADED;
        }
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    value = null;
    // a value this invocation created or loaded never reached the cache: nothing to remove; any
    // other removal goes to the writer, even of a key the cache does not hold
    outcome =
        outcome == Outcome.CREATED || outcome == Outcome.LOADED ? Outcome.NONE : Outcome.REMOVED;
  }

  @Override
  public void setValue(V value) {
    Objects.requireNonNull(value, "an entry processor cannot set a null value; use remove()");
    this.value = value;
    outcome = original == null ? Outcome.CREATED : Outcome.UPDATED;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException(
        "a mutable entry unwraps only to "
            + ProcessorEntry.class.getName()
            + ", not "
            + clazz.getName());
  }
}
