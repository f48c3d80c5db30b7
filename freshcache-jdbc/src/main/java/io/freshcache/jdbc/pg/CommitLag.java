package io.freshcache.jdbc.pg;

import io.freshcache.CacheGroup;
import io.freshcache.stats.PropagationLag;
import java.util.List;
import java.util.Objects;

/**
 * How long committed changes took to reach this instance: from the commit's time in PostgreSQL to
 * the moment this instance applied the capture's invalidation, per event, as a histogram. Measured
 * against the database server's clock, so it includes the skew between that host's clock and this
 * one's (on one host, none). Percentiles are accurate to about 1%.
 *
 * <pre>{@code
 * CommitLag lag = CommitLag.attach(shop);
 * PropagationLag now = lag.snapshot();   // count, p50, p99, max in microseconds
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops measuring.
 */
public final class CommitLag implements AutoCloseable {

  private final LagRecorder recorder = new LagRecorder();
  private final AutoCloseable subscription;

  private CommitLag(CacheGroup group) {
    // Handlers run after the event's invalidation was applied here.
    this.subscription =
        group.subscribe(
            PgChangeCapture.EVENT_TYPE,
            event -> {
              if (event.timestamp() > 0 && event.data().containsKey("xid")) {
                recorder.record(PgChangeCapture.nowMicros() - Math.round(event.timestamp() * 1e6));
              }
              return List.of();
            });
  }

  /** Starts measuring the capture's events as {@code group} applies them. */
  public static CommitLag attach(CacheGroup group) {
    return new CommitLag(Objects.requireNonNull(group, "group must not be null"));
  }

  /** What was measured so far. */
  public PropagationLag snapshot() {
    return recorder.snapshot();
  }

  /** Forgets what was measured. */
  public void reset() {
    recorder.reset();
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not unsubscribe: " + e.getMessage(), e);
    }
  }
}
