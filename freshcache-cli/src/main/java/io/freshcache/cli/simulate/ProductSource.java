package io.freshcache.cli.simulate;

import io.freshcache.Source;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cache's {@link Source} in a simulation: each load is one {@code SELECT} through JDBC on the
 * loading thread's connection.
 *
 * <p>Every call, successful or not, counts as a source load and moves the virtual clock forward by
 * the source latency, so that the cache measures a non-zero load time. While the source is {@link
 * #down}, every call fails with an {@link Outage} without querying, as a real driver does when the
 * database cannot be reached. Thread-safe.
 */
final class ProductSource implements Source<Long, Product> {

  /** The failure of a load during a simulated database outage. */
  static final class Outage extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    Outage() {
      super("simulated outage: the database cannot be reached", "08001");
    }
  }

  private final ProductDatabase database;
  private final VirtualClock clock;
  private final long latencyNanos;
  private final AtomicLong loads = new AtomicLong();
  private volatile boolean down;

  ProductSource(ProductDatabase database, VirtualClock clock, long latencyNanos) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("latency must not be negative, was " + latencyNanos);
    }
    this.database = database;
    this.clock = clock;
    this.latencyNanos = latencyNanos;
  }

  /**
   * Loads one product.
   *
   * @throws Outage while the source is down
   * @throws SQLException if the query fails
   */
  @Override
  public Product load(Long id) throws SQLException {
    loads.incrementAndGet();
    clock.advance(latencyNanos);
    if (down) {
      throw new Outage();
    }
    return database.find(id);
  }

  /** Takes the database down ({@code true}) or brings it back. */
  void down(boolean down) {
    this.down = down;
  }

  /** Calls to {@link #load} so far, failed ones included. */
  long loads() {
    return loads.get();
  }

  /** Whether {@code failure}, or one of its causes, is a simulated outage. */
  static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof Outage) {
        return true;
      }
    }
    return false;
  }
}
