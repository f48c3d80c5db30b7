package io.freshcache.testing;

import io.freshcache.Source;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A source over a map that counts its loads and can be told to fail, standing in for a database in
 * unit tests of the in-process tier. Values are whatever the map holds when the load runs.
 */
public final class CountingSource<K, V> implements Source<K, V> {

  private final Map<K, V> data = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final Function<K, V> fallback;
  private volatile RuntimeException failure;
  private volatile Runnable duringLoad = () -> {};

  public CountingSource(Function<K, V> fallback) {
    this.fallback = fallback;
  }

  public CountingSource<K, V> set(K key, V value) {
    data.put(key, value);
    return this;
  }

  /** Makes every following load throw {@code failure}; {@code null} heals the source. */
  public void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  /** Runs {@code action} inside every following load, before the value is read. */
  public void duringLoad(Runnable action) {
    this.duringLoad = action;
  }

  public int loads() {
    return loads.get();
  }

  @Override
  public V load(K key) {
    loads.incrementAndGet();
    duringLoad.run();
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    V value = data.get(key);
    return value != null ? value : fallback.apply(key);
  }
}
