package io.freshcache.jcache;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's calls to its loader (read-through) and writer (write-through), with the specification's
 * wrapping of what they throw: a {@link CacheLoaderException} or {@link CacheWriterException},
 * carrying the cause.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ThroughCalls<K, V> {

  private final String cacheName;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;
  private final boolean readThrough;
  private final boolean writeThrough;

  ThroughCalls(
      String cacheName,
      CacheLoader<K, V> loader,
      CacheWriter<K, V> writer,
      boolean readThrough,
      boolean writeThrough) {
    this.cacheName = cacheName;
    this.loader = loader;
    this.writer = writer;
    this.readThrough = readThrough && loader != null;
    this.writeThrough = writeThrough && writer != null;
  }

  boolean hasLoader() {
    return loader != null;
  }

  boolean readsThrough() {
    return readThrough;
  }

  boolean writesThrough() {
    return writeThrough;
  }

  /** Loads a key; null if the loader has no value for it. */
  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("cache '" + cacheName + "': the cache loader failed: " + e, e);
    }
  }

  /** Loads keys in one call; never null. */
  Map<K, V> loadAll(List<K> keys) {
    try {
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("cache '" + cacheName + "': the cache loader failed: " + e, e);
    }
  }

  /** Writes an entry through, if the cache writes through. */
  void write(K key, V value) {
    if (writeThrough) {
      try {
        writer.write(new FreshEntry<>(key, value));
      } catch (Exception e) {
        throw failure(e);
      }
    }
  }

  /** Deletes a key through, if the cache writes through. */
  void delete(K key) {
    if (writeThrough) {
      try {
        writer.delete(key);
      } catch (Exception e) {
        throw failure(e);
      }
    }
  }

  /**
   * Writes entries through in one call. On failure the collection holds what was not written (the
   * writer removes what it wrote) and the failure is returned, for the caller to throw once it has
   * stored what was written; null on success.
   */
  CacheWriterException writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    try {
      writer.writeAll(entries);
      return null;
    } catch (Exception e) {
      return failure(e);
    }
  }

  /** Deletes keys through in one call; on failure, as {@link #writeAll}. */
  CacheWriterException deleteAll(Collection<K> keys) {
    try {
      writer.deleteAll(keys);
      return null;
    } catch (Exception e) {
      return failure(e);
    }
  }

  private CacheWriterException failure(Exception e) {
    return e instanceof CacheWriterException w
        ? w
        : new CacheWriterException("cache '" + cacheName + "': the cache writer failed: " + e, e);
  }

  void close() {
    Closing.quietly(loader, "cache loader");
    Closing.quietly(writer, "cache writer");
  }
}
