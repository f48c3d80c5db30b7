/**
 * The compatibility kit: the invalidation contract stated once, as an abstract test class ({@link
 * io.freshcache.kit.InvalidationContractKit}) that every bus subclasses. Shipped in
 * freshcache-core's test-jar.
 */
package io.freshcache.kit;
