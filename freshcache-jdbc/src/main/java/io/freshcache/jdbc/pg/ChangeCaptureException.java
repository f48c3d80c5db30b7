package io.freshcache.jdbc.pg;

/**
 * A change capture cannot start: the database or the mapping is not as it needs. The message names
 * the problem and the fix in one line; nothing was started, no slot, publication or lock is held.
 */
public final class ChangeCaptureException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  ChangeCaptureException(String message) {
    super(message);
  }

  ChangeCaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}
