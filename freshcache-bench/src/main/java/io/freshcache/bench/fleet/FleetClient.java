package io.freshcache.bench.fleet;

/**
 * What the harness asks of a library under test, on one application instance: read a key (through
 * the source on a miss), write a key's new value after the source has it, and say whether an
 * invalidation is still owed to Redis. Thread-safe.
 */
interface FleetClient extends AutoCloseable {

  /** The value for {@code key}: the version it holds, as a decimal string. */
  String get(String key);

  /** The source already holds {@code value} for {@code key}; the cache and the fleet learn it. */
  void put(String key, String value);

  /** Whether this instance still owes Redis an invalidation (it waits in an outbox). */
  boolean pending();

  /** One line of the library's own counters, for the run's output. */
  String counters();

  @Override
  void close();
}
