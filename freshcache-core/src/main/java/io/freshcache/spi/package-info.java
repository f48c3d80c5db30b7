/**
 * What a provider implements to carry a cache group between instances: an {@link
 * io.freshcache.spi.InvalidationBus} (moves encoded events; says when it may have lost some and how
 * long local state may be trusted) and a {@link io.freshcache.spi.SharedTier} (entries shared by
 * every instance, with leases that keep a stale fill out), with the values the tier trades in
 * ({@link io.freshcache.spi.SharedEntry}, {@link io.freshcache.spi.SharedLookup}).
 *
 * <p>Where to start: the javadoc of the two interfaces states their contracts; the {@code
 * freshcache-test} module's contract kits check an implementation against them. Both have an {@code
 * Opener}, which a provider's builder implements so that a group opens (and owns) its bus and tier
 * for its own namespace. Users rarely touch this package: they hand a group a provider's builder,
 * such as {@code RedisBus.builder(uri)} in {@code freshcache-redis}.
 */
package io.freshcache.spi;
