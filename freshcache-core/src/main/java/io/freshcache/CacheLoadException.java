package io.freshcache;

/**
 * Thrown when a {@link Source} fails with a checked exception or breaks its contract (returns
 * {@code null}, leaves a key out of a bulk load). Unchecked exceptions thrown by a source reach the
 * caller unwrapped.
 */
public class CacheLoadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CacheLoadException(String message) {
    super(message);
  }

  public CacheLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
