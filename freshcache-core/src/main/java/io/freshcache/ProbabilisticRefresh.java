package io.freshcache;

import java.util.function.DoubleSupplier;

/**
 * XFetch (Vattani, Chierichetti, Lowenstein, "Optimal probabilistic cache stampede prevention",
 * VLDB 2015): reload when {@code now − delta·beta·ln(rand) ≥ expiry}. As {@code ln(rand) ≤ 0}, the
 * left side is {@code now} pushed forward by a random multiple of the load time, so the chance of a
 * reload grows as expiry nears and as loads get costlier.
 */
final class ProbabilisticRefresh implements RefreshTrigger {

  private final double beta;
  private final DoubleSupplier random;

  ProbabilisticRefresh(double beta, DoubleSupplier random) {
    this.beta = beta;
    this.random = random;
  }

  @Override
  public boolean shouldRefresh(Entry<?> entry, long now, StatsCounter stats) {
    long expiry = entry.freshUntil();
    if (expiry == Expiry.NEVER) {
      return false;
    }
    long delta = entry.loadNanos > 0 ? entry.loadNanos : stats.meanLoadNanos();
    if (delta <= 0) {
      return false;
    }
    double rand = random.getAsDouble();
    // rand in (0, 1]; a draw of exactly 0 would push "now" to infinity: treat it as the smallest.
    double logRand = Math.log(rand > 0.0 ? Math.min(rand, 1.0) : Double.MIN_VALUE);
    double pushed = now - delta * beta * logRand;
    return pushed >= expiry;
  }

  @Override
  public String toString() {
    return "probabilistic(beta " + beta + ")";
  }
}
