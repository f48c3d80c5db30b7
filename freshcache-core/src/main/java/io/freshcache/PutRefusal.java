package io.freshcache;

import java.util.Arrays;
import java.util.List;

/**
 * Why this instance refuses a put: its version is older than one the cache knows of the key (the
 * cached entry's, or the key's last versioned invalidation), or its dependencies would close a
 * cycle. Found before the put changes anything here, and never seen outside the package: the write
 * path turns it into the caller's exception ({@link #toException}), whose message says what the put
 * did store, which for write-through depends on whether the source was written first.
 */
final class PutRefusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long attempted;
  private final long known;
  private final transient String[] sources;
  private final transient List<String> cycle;

  private PutRefusal(long attempted, long known, String[] sources, List<String> cycle) {
    super(null, null, false, false); // a verdict, not a failure: no stack trace to fill
    this.attempted = attempted;
    this.known = known;
    this.sources = sources;
    this.cycle = cycle;
  }

  /** Version {@code attempted} is older than version {@code known}. */
  static PutRefusal version(long attempted, long known) {
    return new PutRefusal(attempted, known, null, null);
  }

  /** Depending on {@code sources} makes the dependency cycle {@code cycle}. */
  static PutRefusal cycle(String[] sources, List<String> cycle) {
    return new PutRefusal(0, 0, sources, cycle);
  }

  /**
   * The exception the caller sees: a {@link VersionConflictException}, or an {@link
   * IllegalArgumentException} for a cycle. {@code outcome} ends its message and says what the put
   * stored, e.g. "nothing was stored".
   */
  RuntimeException toException(String cache, Object key, String outcome, boolean sourceWritten) {
    if (cycle == null) {
      return new VersionConflictException(cache, key, attempted, known, outcome, sourceWritten);
    }
    return new IllegalArgumentException(
        "cache '"
            + cache
            + "': "
            + key
            + " cannot depend on "
            + Arrays.toString(sources)
            + ": that makes a dependency cycle "
            + String.join(" -> ", cycle)
            + " (each derived from the one before); "
            + outcome);
  }
}
