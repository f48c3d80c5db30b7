/**
 * {@code freshcache stats}: the fleet of a group at a glance, from the statuses its instances send
 * on the bus ({@link io.freshcache.stats.InstanceStatus}), read back from Redis's log of the group.
 */
package io.freshcache.cli.stats;
