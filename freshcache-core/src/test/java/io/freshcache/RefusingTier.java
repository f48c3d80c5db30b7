package io.freshcache;

import io.freshcache.spi.SharedTier;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** A tier whose invalidations fail while told to, as a Redis that cannot be reached would. */
final class RefusingTier extends ForwardingSharedTier {
  private final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean refuse;

  RefusingTier(SharedTier delegate) {
    super(delegate);
  }

  void refuseInvalidations(boolean refuse) {
    this.refuse = refuse;
  }

  /** The key invalidations the tier took, in order, e.g. {@code "tier [user:1]"}. */
  java.util.List<String> calls() {
    return calls;
  }

  private <T> CompletableFuture<T> unlessRefused(
      java.util.function.Supplier<CompletableFuture<T>> call) {
    return refuse
        ? CompletableFuture.failedFuture(new IllegalStateException("tier unreachable"))
        : call.get();
  }

  @Override
  public CompletableFuture<Void> invalidate(String cache, Collection<String> keys) {
    return unlessRefused(
        () -> {
          calls.add("tier " + keys);
          return delegate.invalidate(cache, keys);
        });
  }

  @Override
  public CompletableFuture<Void> invalidateInEveryCache(Collection<String> keys) {
    return unlessRefused(
        () -> {
          calls.add("tier " + keys);
          return delegate.invalidateInEveryCache(keys);
        });
  }

  @Override
  public CompletableFuture<Void> invalidateTags(Collection<String> tags) {
    return unlessRefused(() -> delegate.invalidateTags(tags));
  }

  @Override
  public CompletableFuture<Long> invalidatePattern(String cache, String glob) {
    return unlessRefused(() -> delegate.invalidatePattern(cache, glob));
  }

  @Override
  public CompletableFuture<Long> invalidatePatternInEveryCache(String glob) {
    return unlessRefused(() -> delegate.invalidatePatternInEveryCache(glob));
  }

  @Override
  public CompletableFuture<Void> invalidateAll(String cache) {
    return unlessRefused(() -> delegate.invalidateAll(cache));
  }

  @Override
  public CompletableFuture<Void> invalidateEveryCache() {
    return unlessRefused(delegate::invalidateEveryCache);
  }
}
