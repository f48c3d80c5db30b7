package io.freshcache;

/** Reload once an entry has lived a fixed fraction of its lifetime. */
final class RefreshAhead implements RefreshTrigger {

  private final double threshold;

  RefreshAhead(double threshold) {
    this.threshold = threshold;
  }

  @Override
  public boolean shouldRefresh(Entry<?> entry, long now, StatsCounter stats) {
    long lifetime = entry.freshUntil() - entry.writtenAt;
    if (lifetime <= 0 || entry.freshUntil() == Expiry.NEVER) {
      return false;
    }
    return now - entry.writtenAt >= (long) (lifetime * threshold);
  }

  @Override
  public String toString() {
    return "ahead(" + threshold + ")";
  }
}
