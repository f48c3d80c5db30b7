package io.freshcache;

/** Decides, on a read of a fresh entry, whether to start a background reload of it. */
interface RefreshTrigger {

  /**
   * @param entry the entry being read; fresh at {@code now}
   * @param now the ticker's current time
   * @param stats the cache's counters, for what the entry itself does not know (mean load time)
   */
  boolean shouldRefresh(Entry<?> entry, long now, StatsCounter stats);
}
