package io.freshcache;

/**
 * Thrown by a put through {@link Writes#through} or {@link Writes#around} when the {@link Writer}
 * fails with a checked exception: the source did not take the write (a writer throws only then),
 * and the cache is unchanged. Unchecked exceptions from the writer reach the caller unwrapped, with
 * the same outcome.
 */
public class CacheWriteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CacheWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
