package io.freshcache.jcache;

/**
 * One JCache entry as this instance holds it: the stored value (a copy or the reference), when it
 * expires, and the token it holds in the group. The entry is alive only while the freshcache cache
 * still maps its name to this very token: an invalidation from another instance removes the token,
 * and with it the entry.
 */
final class Record {

  /** The expiry time of an entry that never expires. */
  static final long ETERNAL = Long.MAX_VALUE;

  /** The expiry time of an entry that expired the moment it was given it. */
  static final long EXPIRED = Long.MIN_VALUE;

  final String name;
  final Object stored;
  final Object token = new Object();
  private volatile long expiresAt;

  Record(String name, Object stored, long expiresAt) {
    this.name = name;
    this.stored = stored;
    this.expiresAt = expiresAt;
  }

  long expiresAt() {
    return expiresAt;
  }

  void expiresAt(long time) {
    expiresAt = time;
  }

  boolean expiredAt(long now) {
    return expiresAt != ETERNAL && expiresAt <= now;
  }
}
