package io.freshcache;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** A test tier that hands every call to another; subclasses override the calls they change. */
abstract class ForwardingSharedTier implements SharedTier {

  final SharedTier delegate;

  ForwardingSharedTier(SharedTier delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor) {
    return delegate.lookup(cache, key, holdFor);
  }

  @Override
  public CompletableFuture<Boolean> fill(String cache, String key, SharedEntry e, String lease) {
    return delegate.fill(cache, key, e, lease);
  }

  @Override
  public CompletableFuture<Boolean> release(String cache, String key, String lease) {
    return delegate.release(cache, key, lease);
  }

  @Override
  public CompletableFuture<Boolean> put(String cache, String key, SharedEntry entry) {
    return delegate.put(cache, key, entry);
  }

  @Override
  public CompletableFuture<Void> invalidate(String cache, Collection<String> keys) {
    return delegate.invalidate(cache, keys);
  }

  @Override
  public CompletableFuture<Void> invalidateTags(Collection<String> tags) {
    return delegate.invalidateTags(tags);
  }

  @Override
  public CompletableFuture<Long> invalidatePattern(String cache, String glob) {
    return delegate.invalidatePattern(cache, glob);
  }

  @Override
  public CompletableFuture<Void> invalidateAll(String cache) {
    return delegate.invalidateAll(cache);
  }

  @Override
  public CompletableFuture<Void> invalidateInEveryCache(Collection<String> keys) {
    return delegate.invalidateInEveryCache(keys);
  }

  @Override
  public CompletableFuture<Long> invalidatePatternInEveryCache(String glob) {
    return delegate.invalidatePatternInEveryCache(glob);
  }

  @Override
  public CompletableFuture<Void> invalidateEveryCache() {
    return delegate.invalidateEveryCache();
  }

  @Override
  public void close() {}
}
