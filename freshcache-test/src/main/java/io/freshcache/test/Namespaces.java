package io.freshcache.test;

import java.util.concurrent.atomic.AtomicLong;

/** Names the kits' namespaces: one per test, never repeated, not even across runs. */
final class Namespaces {

  private static final AtomicLong COUNT = new AtomicLong();

  private Namespaces() {}

  /**
   * {@code kind-TestClass-n-run}: the run suffix because a shared server may still hold an earlier
   * run's keys under the same count.
   */
  static String next(String kind, Class<?> test) {
    return kind
        + "-"
        + test.getSimpleName()
        + "-"
        + COUNT.incrementAndGet()
        + "-"
        + Long.toString(System.nanoTime(), 36);
  }
}
