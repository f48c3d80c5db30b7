package io.freshcache;

/**
 * Thrown by a put whose version is older than what the cache already knows of the key: the cached
 * entry's version, or the version of the key's last invalidation. The message says what the put
 * stored, in the cache and in the source.
 *
 * <p>As a rule the put stored nothing: the versions are compared before a write-through cache
 * writes the source. Only a write-through put overtaken while its writer ran (a versioned
 * invalidation, or a newer entry, arrived meanwhile) has written the source; then {@link
 * #sourceWritten()} is true, and the key was invalidated, here and on the other instances, so that
 * no cache keeps a value older than the source's.
 */
public class VersionConflictException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long attempted;
  private final long known;
  private final boolean sourceWritten;

  VersionConflictException(
      String cache, Object key, long attempted, long known, String outcome, boolean sourceWritten) {
    super(
        "cache '"
            + cache
            + "': version "
            + attempted
            + " of key "
            + key
            + " is older than version "
            + known
            + " already seen; "
            + outcome);
    this.attempted = attempted;
    this.known = known;
    this.sourceWritten = sourceWritten;
  }

  /** The version the put carried. */
  public long attempted() {
    return attempted;
  }

  /** The newer version the cache knew of. */
  public long known() {
    return known;
  }

  /**
   * Whether the put's value reached the source before the conflict was found (write-through only).
   * If so the cache does not hold it: the key was invalidated, and the next read loads it.
   */
  public boolean sourceWritten() {
    return sourceWritten;
  }
}
