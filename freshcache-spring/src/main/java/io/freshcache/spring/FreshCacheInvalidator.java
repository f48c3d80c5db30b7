package io.freshcache.spring;

import io.freshcache.CacheGroup;
import io.freshcache.event.Invalidation;
import java.util.Map;
import java.util.Objects;

/**
 * Tag, pattern, cascade and key invalidation of a group, from Spring code. Inside a Spring-managed
 * transaction each call waits for the commit (and is dropped on rollback), as the caches' own
 * evictions do; outside one it applies at once. Arguments are checked when the call is made, so a
 * bad tag or a pattern that would match everything fails in the caller, not after its commit.
 *
 * <pre>{@code
 * @Transactional
 * public void moveWarehouse(long warehouseId) {
 *   repository.move(warehouseId);
 *   invalidator.invalidateTag("warehouse:" + warehouseId);   // every cache, every instance
 * }
 * }</pre>
 *
 * <p>Keys are named as the group names them: a Spring cache's prefix and the key's text, {@code
 * "users:42"} ({@link FreshCacheManager#keyName}). Thread-safe.
 */
public final class FreshCacheInvalidator {

  private final CacheGroup group;

  private FreshCacheInvalidator(CacheGroup group) {
    this.group = Objects.requireNonNull(group, "group must not be null");
  }

  /** An invalidator for {@code group}. */
  public static FreshCacheInvalidator of(CacheGroup group) {
    return new FreshCacheInvalidator(group);
  }

  /** Every entry carrying any of these tags, in every cache of the group, on every instance. */
  public void invalidateTag(String... tags) {
    invalidate(Invalidation.tags(tags));
  }

  /**
   * Every key whose name matches the glob, e.g. {@code "category:7:products:*"}.
   *
   * @throws IllegalArgumentException if the glob would match every key
   */
  public void invalidatePattern(String glob) {
    invalidate(Invalidation.pattern(glob));
  }

  /** These keys (by name) and every entry derived from them, transitively. */
  public void invalidateCascade(String... keys) {
    invalidate(Invalidation.cascade(keys));
  }

  /** These keys (by name) in every cache of the group. */
  public void invalidateKeys(String... keys) {
    invalidate(Invalidation.keys(keys));
  }

  /** Everything in every cache of the group. */
  public void invalidateAll() {
    invalidate(Invalidation.all());
  }

  /** Any invalidation, after the commit if there is a transaction. */
  public void invalidate(Invalidation invalidation) {
    Objects.requireNonNull(invalidation, "invalidation must not be null");
    AfterCommit.run(() -> group.invalidate(invalidation));
  }

  /**
   * Publishes a domain event (e.g. {@code product.price_changed}) with what it invalidates and its
   * data, for this instance's and every other instance's handlers; after the commit if there is a
   * transaction.
   */
  public void publish(String eventType, Invalidation invalidation, Map<String, ?> data) {
    Objects.requireNonNull(eventType, "eventType must not be null");
    Objects.requireNonNull(invalidation, "invalidation must not be null");
    Objects.requireNonNull(data, "data must not be null");
    AfterCommit.run(() -> group.publish(eventType, invalidation, data));
  }

  /** The group invalidated. */
  public CacheGroup group() {
    return group;
  }
}
