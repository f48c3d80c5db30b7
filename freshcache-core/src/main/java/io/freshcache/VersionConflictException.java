package io.freshcache;

/**
 * Thrown by a put whose version is older than what the cache already knows of the key: the cached
 * entry's version, or the version of the key's last invalidation. Nothing was stored.
 */
public class VersionConflictException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long attempted;
  private final long known;

  VersionConflictException(String cache, Object key, long attempted, long known) {
    super(
        "cache '"
            + cache
            + "': version "
            + attempted
            + " of key "
            + key
            + " is older than version "
            + known
            + " already seen; nothing was stored");
    this.attempted = attempted;
    this.known = known;
  }

  /** The version the put carried. */
  public long attempted() {
    return attempted;
  }

  /** The newer version the cache knew of. */
  public long known() {
    return known;
  }
}
