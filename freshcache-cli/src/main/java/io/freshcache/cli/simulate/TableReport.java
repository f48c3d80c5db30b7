package io.freshcache.cli.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Renders the results of {@code freshcache simulate} as a table for people: a one-line description
 * of the workload, one aligned row per strategy, and a legend of the columns. The rows of the
 * multi-instance strategies come under a label line of their own, as wide as the table.
 */
final class TableReport {

  private static final String[] HEADINGS = {
    "strategy", "hit ratio", "source loads", "stale reads", "errors", "p50 (us)", "p99 (us)"
  };

  private TableReport() {}

  /** The report, lines ending in {@code \n}. */
  static String render(Workload workload, Trace trace, List<StrategyResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADINGS);
    for (StrategyResult r : results) {
      Measurements m = r.measured();
      rows.add(
          new String[] {
            r.strategy().label(),
            percent(m.hitRatio()),
            count(m.sourceLoads()),
            count(m.staleReads()),
            count(m.errors()),
            micros(m.latency().p50Nanos()),
            micros(m.latency().p99Nanos())
          });
    }
    int[] widths = new int[HEADINGS.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    int tableWidth = Arrays.stream(widths).sum() + 2 * (widths.length - 1);

    StringBuilder out = new StringBuilder();
    out.append(header(workload, trace, results)).append("\n\n");
    appendRow(out, HEADINGS, widths);
    String[] rule = new String[widths.length];
    for (int c = 0; c < widths.length; c++) {
      rule[c] = "-".repeat(widths[c]);
    }
    appendRow(out, rule, widths);
    boolean labelled = false;
    for (int r = 0; r < results.size(); r++) {
      StrategyResult result = results.get(r);
      if (result instanceof ClusterResult clustered && !labelled) {
        String bus = clustered.cluster().redis() == null ? "on one bus" : "over Redis";
        out.append(
            label("-- " + result.instances() + " instances " + bus + ", no outage ", tableWidth));
        labelled = true;
      }
      appendRow(out, rows.get(r + 1), widths);
    }
    out.append('\n')
        .append("hit ratio    reads answered from the cache, without waiting for the database\n")
        .append("source loads SELECTs the strategy sent: misses and background reloads\n")
        .append(DomainTable.hanging("stale reads  ", staleColumn(workload), 100))
        .append('\n')
        .append("errors       reads that failed because the database was down and the cache")
        .append(" had nothing to serve\n")
        .append("p50, p99     real time of one read on this machine, in microseconds")
        .append(" (virtual source latency not included)\n");
    if (labelled) {
      out.append(clusterLegend(results));
    }
    return out.toString();
  }

  /** What the stale column counts: reads judged against the database, with the tolerance. */
  static String staleColumn(Workload workload) {
    String tolerance = Format.duration(workload.toleranceNanos());
    return workload.toleranceNanos() == 0
        ? "reads that returned an older version of a row than the database had committed when the"
            + " read began (tolerance 0)"
        : "reads that returned an older version of a row than the database had committed "
            + tolerance
            + " before the read began (tolerance "
            + tolerance
            + ")";
  }

  /**
   * What the stale column means on the invalidation strategies' bus: in process, where delivery is
   * immediate and time virtual; or over Redis, paced to real time, and how far the pace fell
   * behind.
   */
  static String staleMode(List<StrategyResult> results) {
    boolean paced = false;
    long behind = 0;
    for (StrategyResult r : results) {
      if (r instanceof ClusterResult clustered && clustered.cluster().paced()) {
        paced = true;
        behind = Math.max(behind, clustered.cluster().maxBehindNanos());
      }
    }
    if (!paced) {
      return "The invalidation strategies' in-process bus delivers every event before publish"
          + " returns, so what is stale there is stale on any bus; time is virtual, and runs faster"
          + " than real time.";
    }
    return "Over Redis the invalidation strategies' replay is paced to real time (one virtual"
        + " second takes one real second), so an event's real propagation lag is also its lag in virtual time: a read is"
        + " stale only if the invalidation had not arrived within the tolerance, not because"
        + " virtual time outran the network. Operations ran at most "
        + (behind == 0 ? "0 ms" : Format.seconds(behind))
        + " behind real time (a busy machine or a slow Redis shows here; the clock then follows"
        + " real time).";
  }

  /** What the rows of the multi-instance strategies mean, beyond the columns. */
  private static String clusterLegend(List<StrategyResult> results) {
    int instances = 1;
    for (StrategyResult r : results) {
      instances = Math.max(instances, r.instances());
    }
    String redis = redis(results);
    StringBuilder legend = new StringBuilder().append("\nBelow the line: ").append(instances);
    if (redis == null) {
      legend.append(" instances share one in-process bus and the database; operation i runs on");
    } else {
      legend
          .append(" instances, each on a Redis bus of its own (at ")
          .append(redis)
          .append("), share the database;\noperation i runs on");
    }
    legend
        .append(" instance i % ")
        .append(instances)
        .append(".\nA write goes through the strategy on that instance and is committed when its")
        .append("\ncall returns. Each product cache also has ttl(30s). No outage.\n")
        .append(DomainTable.wrap(staleMode(results), 100))
        .append('\n');
    if (redis != null) {
      legend.append(lagLine(results));
    }
    for (StrategyResult r : results) {
      if (!(r instanceof ClusterResult clustered)) {
        continue;
      }
      ClusterStats c = clustered.cluster();
      if (r.strategy() == InvalidationStrategy.WRITE_BEHIND) {
        long ops = r.measured().reads() + c.writes();
        long flushMillis = InvalidationStrategy.FLUSH_EVERY.toMillis();
        long opsPerFlush = c.realNanos() == 0 ? 0 : ops * flushMillis * 1_000_000 / c.realNanos();
        legend
            .append("write-behind flushes every ")
            .append(flushMillis)
            .append(" ms of real time (about ")
            .append(count(opsPerFlush))
            .append(" operations here): until then the other\n")
            .append("             instances read the old row, and a writer its own write even")
            .append(" after a newer one elsewhere;\n             ")
            .append(count(c.writesFlushed()))
            .append(" writes flushed, ")
            .append(count(c.rowsBehind()))
            .append(" rows behind their last acknowledged write after close\n");
      } else if (r.strategy() == InvalidationStrategy.TAGS) {
        legend
            .append("tags         each write reprices a whole category: ")
            .append(count(c.rowsWritten()))
            .append(" rows in ")
            .append(count(c.writes()))
            .append(" writes\n");
      } else if (r.strategy() == InvalidationStrategy.DEPENDENCY) {
        legend
            .append("dependency   each read gets the product and its category's summary (two")
            .append(" reads); ")
            .append(count(c.summaryStaleReads()))
            .append(" stale summaries\n");
      } else if (r.strategy() == InvalidationStrategy.VERSIONS) {
        legend
            .append("versions     ")
            .append(count(c.versionConflicts()))
            .append(
                c.redis() == null
                    ? " version conflicts: the bus delivers in order and no load races a write in"
                        + " this replay\n"
                    : " version conflicts: invalidations older than what a cache had already"
                        + " loaded\n");
      }
    }
    legend.append("--json adds events, handler calls per instance, version conflicts and more.\n");
    return legend.toString();
  }

  /** Where the multi-instance rows' Redis was, {@code host:port}; null if they ran in process. */
  private static String redis(List<StrategyResult> results) {
    for (StrategyResult r : results) {
      if (r instanceof ClusterResult clustered && clustered.cluster().redis() != null) {
        return clustered.cluster().redis();
      }
    }
    return null;
  }

  /**
   * The propagation lag over Redis in one line: the range, over the rows that sent events, of the
   * slowest instance's p50 and p99; what the buses lost and suspended.
   */
  private static String lagLine(List<StrategyResult> results) {
    long minP50 = Long.MAX_VALUE;
    long maxP50 = 0;
    long minP99 = Long.MAX_VALUE;
    long maxP99 = 0;
    long losses = 0;
    long suspensions = 0;
    for (StrategyResult r : results) {
      if (!(r instanceof ClusterResult clustered) || clustered.cluster().redis() == null) {
        continue;
      }
      ClusterStats c = clustered.cluster();
      losses += c.losses();
      suspensions += c.suspensions();
      if (c.lagsMeasured() == 0) {
        continue;
      }
      minP50 = Math.min(minP50, c.worstP50Micros());
      maxP50 = Math.max(maxP50, c.worstP50Micros());
      minP99 = Math.min(minP99, c.worstP99Micros());
      maxP99 = Math.max(maxP99, c.worstP99Micros());
    }
    StringBuilder line =
        new StringBuilder("over Redis: propagation lag, publish to applied, of each row's slowest")
            .append(" instance: ");
    if (minP99 == Long.MAX_VALUE) {
      line.append("none measured,\n            no row sent events");
    } else {
      line.append("p50 ")
          .append(range(minP50, maxP50))
          .append(" us,\n            p99 ")
          .append(range(minP99, maxP99))
          .append(" us");
    }
    return line.append("; ")
        .append(count(losses))
        .append(" losses, ")
        .append(count(suspensions))
        .append(" suspensions of local hits (--json has each row's, by instance)\n")
        .toString();
  }

  private static String range(long min, long max) {
    return min == max ? count(min) : count(min) + "-" + count(max);
  }

  /** {@code text}, then dashes up to {@code width}, and a line break. */
  private static String label(String text, int width) {
    return text + "-".repeat(Math.max(0, width - text.length())) + "\n";
  }

  /** The workload in one line: what ran, for how long in virtual time, and when the outage was. */
  static String header(Workload workload, Trace trace, List<StrategyResult> results) {
    StringBuilder line =
        new StringBuilder()
            .append(count(workload.ops()))
            .append(" ops on ")
            .append(count(workload.keys()))
            .append(" keys, Zipf skew ")
            .append(workload.skew())
            .append(", ")
            .append(number(100.0 * trace.writes() / trace.size(), 1))
            .append("% writes, seed ")
            .append(workload.seed())
            .append("; virtual time ")
            .append(virtualDuration(results))
            .append(" (")
            .append(number(1e3 / workload.rate()))
            .append(" ms per op + ")
            .append(number(workload.sourceLatency().toNanos() / 1e6))
            .append(" ms per source load); ");
    if (workload.hasOutage()) {
      line.append("database down for ops ")
          .append(count(workload.outageFromOp()))
          .append("-")
          .append(count(workload.outageToOp()))
          .append(" (middle ")
          .append(number(100.0 * workload.outage()))
          .append(
              results.stream().anyMatch(r -> r instanceof ClusterResult)
                  ? "%, time-based rows only)"
                  : "%)");
    } else {
      line.append("no outage");
    }
    String redis = redis(results);
    if (redis != null) {
      line.append("; instances over Redis at ").append(redis);
    }
    return line.toString();
  }

  private static String virtualDuration(List<StrategyResult> results) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (StrategyResult r : results) {
      min = Math.min(min, r.measured().virtualNanos());
      max = Math.max(max, r.measured().virtualNanos());
    }
    if (results.isEmpty()) {
      return "0 s";
    }
    String shortest = seconds(min);
    String longest = seconds(max);
    return shortest.equals(longest) ? shortest + " s" : shortest + "-" + longest + " s";
  }

  private static void appendRow(StringBuilder out, String[] cells, int[] widths) {
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        out.append("  ");
      }
      String padding = " ".repeat(widths[c] - cells[c].length());
      // The strategy name reads best left-aligned, numbers right-aligned.
      out.append(c == 0 ? cells[c] + padding : padding + cells[c]);
    }
    // No trailing blanks: the last column is right-aligned, so the line ends at its last digit.
    out.append('\n');
  }

  private static String percent(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code x} with up to three decimals, trailing zeros dropped: 1, 0.5, 0.333. */
  private static String number(double x) {
    return number(x, 3);
  }

  private static String number(double x, int decimals) {
    return new BigDecimal(x)
        .setScale(decimals, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%,.0f", nanos / 1e9);
  }
}
