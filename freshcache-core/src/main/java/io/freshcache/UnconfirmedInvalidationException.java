package io.freshcache;

/**
 * Thrown in a group's strict mode ({@link CacheGroupBuilder#strict}) by a put, a write through the
 * cache's write policy or an invalidation that Redis did not confirm in time. The message says
 * exactly what was done and what was not: either nothing changed (Redis was known to be unreachable
 * before anything was done, see {@link #changedNothing()}), or the change holds on this instance
 * (and in the source, for writes that reach it) while other instances may still serve the old
 * value; the invalidation then stays queued and is sent when Redis answers.
 */
public class UnconfirmedInvalidationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean changedNothing;

  UnconfirmedInvalidationException(String message, boolean changedNothing, Throwable cause) {
    super(message, cause);
    this.changedNothing = changedNothing;
  }

  /** Whether the call was refused before it changed anything, here or in the source. */
  public boolean changedNothing() {
    return changedNothing;
  }
}
