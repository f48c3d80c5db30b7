package io.freshcache.stats;

import java.time.Duration;
import java.util.List;

/**
 * What a cache's freshness verifier has found: of the hits it sampled and checked against the
 * source, how many served a value the source no longer had and that the cache still served after
 * the grace period (stale). A mismatch the cache resolved within the grace period (its invalidation
 * was on its way) is counted as resolved, not stale.
 *
 * <p>The stale rate is an estimate from a sample: {@link #staleRateLow()} and {@link
 * #staleRateHigh()} bound it at 95% confidence (Wilson score interval).
 *
 * @param sampled hits picked by the sample rate
 * @param overBudget sampled hits not checked because the source-read budget was spent
 * @param checked checks completed (the source read, the verdict reached)
 * @param stale checks that caught a stale hit
 * @param resolved mismatches the cache resolved within the grace period
 * @param sourceFailures checks the source could not answer (not counted as checked)
 * @param sourceReadsPerSecondLimit the budget: source reads per second at most
 * @param grace how long a mismatch may last before it counts as stale
 * @param staleAges how old (since written into the cache) the stale entries caught were
 * @param lastCaught the most recent stale hits caught, newest first (at most 5)
 */
public record VerifierStats(
    long sampled,
    long overBudget,
    long checked,
    long stale,
    long resolved,
    long sourceFailures,
    double sourceReadsPerSecondLimit,
    Duration grace,
    List<AgeBucket> staleAges,
    List<Caught> lastCaught) {

  /** Stale hits caught whose entries were younger than {@code under}. */
  public record AgeBucket(Duration under, long count) {}

  /** A stale hit: the key's name, how old the entry was, and when it was caught (ticker nanos). */
  public record Caught(String key, Duration age, long caughtAt) {}

  /** The observed share of checked hits that were stale; 0 before the first check. */
  public double staleRate() {
    return checked == 0 ? 0 : (double) stale / checked;
  }

  /** The lower end of the 95% confidence interval of the stale rate. */
  public double staleRateLow() {
    return wilson(-1);
  }

  /** The upper end of the 95% confidence interval of the stale rate. */
  public double staleRateHigh() {
    return wilson(1);
  }

  /**
   * The consistency as "nines": {@code -log10(stale rate)}, e.g. 3.0 for one stale hit in 1,000.
   * With no stale hit caught, the nines the sample can vouch for: {@code -log10} of the upper
   * confidence bound. 0 before the first check.
   */
  public double nines() {
    if (checked == 0) {
      return 0;
    }
    double rate = stale == 0 ? staleRateHigh() : staleRate();
    return -Math.log10(rate);
  }

  private double wilson(int side) {
    if (checked == 0 || (side < 0 && stale == 0) || (side > 0 && stale == checked)) {
      return side < 0 ? 0 : 1; // exact at the ends, where rounding would leave a trace
    }
    double z = 1.959964;
    double n = checked;
    double p = (double) stale / n;
    double centre = p + z * z / (2 * n);
    double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    double bound = (centre + side * spread) / (1 + z * z / n);
    return Math.max(0, Math.min(1, bound));
  }
}
