package io.freshcache;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Where one flight's value comes from: the cache's {@link Source}, or a loader a caller passed to
 * {@code get(key, loader)}. Either way the flight, its lease and its fill are the same; only the
 * call that produces the value differs. A blocking source answers on the calling thread (its future
 * is complete when {@link #start} returns); an async loader completes its future when it likes.
 */
@FunctionalInterface
interface Loader<K, V> {

  /**
   * Starts loading {@code key}; never throws (a failure is the returned future's). {@code executor}
   * is the cache's, handed to async loaders.
   */
  CompletableFuture<? extends V> start(K key, Executor executor);

  /** Runs a blocking source on the calling thread. */
  static <K, V> Loader<K, V> of(Source<? super K, ? extends V> source) {
    return (key, executor) -> {
      try {
        return CompletableFuture.completedFuture(source.load(key));
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    };
  }

  /** Calls an async loader; a loader that throws or returns no future fails the load. */
  static <K, V> Loader<K, V> async(
      String cache,
      BiFunction<? super K, ? super Executor, ? extends CompletableFuture<? extends V>> loader) {
    return (key, executor) -> {
      try {
        CompletableFuture<? extends V> future = loader.apply(key, executor);
        return Objects.requireNonNull(
            future, () -> "cache '" + cache + "': the loader returned no future for key " + key);
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    };
  }
}
