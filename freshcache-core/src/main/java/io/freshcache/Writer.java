package io.freshcache;

import java.util.Map;

/**
 * Writes values to the source of truth, for a cache with a {@link Writes} policy. Must be
 * thread-safe; for write-behind it is called from one flushing thread at a time.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface Writer<K, V> {

  /** Writes one value; throws if the source did not take it. */
  void write(K key, V value) throws Exception;

  /**
   * Writes a batch, in the map's iteration order (oldest write first). The default writes each in
   * turn; override it for one round trip (a JDBC batch). It must take all or throw: a batch that
   * throws is retried whole, so writes must be idempotent.
   */
  default void writeAll(Map<K, V> batch) throws Exception {
    for (Map.Entry<K, V> e : batch.entrySet()) {
      write(e.getKey(), e.getValue());
    }
  }
}
