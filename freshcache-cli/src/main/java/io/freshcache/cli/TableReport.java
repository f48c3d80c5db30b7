package io.freshcache.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the results of {@code freshcache simulate} as a table for people: a one-line description
 * of the workload, one aligned row per strategy, and a legend of the columns.
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
      rows.add(
          new String[] {
            r.strategy().label(),
            percent(r.hitRatio()),
            count(r.sourceLoads()),
            count(r.staleReads()),
            count(r.errors()),
            micros(r.p50Nanos()),
            micros(r.p99Nanos())
          });
    }
    int[] widths = new int[HEADINGS.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }

    StringBuilder out = new StringBuilder();
    out.append(header(workload, trace, results)).append("\n\n");
    for (int r = 0; r < rows.size(); r++) {
      appendRow(out, rows.get(r), widths);
      if (r == 0) {
        String[] rule = new String[widths.length];
        for (int c = 0; c < widths.length; c++) {
          rule[c] = "-".repeat(widths[c]);
        }
        appendRow(out, rule, widths);
      }
    }
    out.append('\n')
        .append("hit ratio    reads answered from the cache, without waiting for the database\n")
        .append("source loads SELECTs the strategy sent: misses and background reloads\n")
        .append("stale reads  reads that returned an older version of a row than the database")
        .append(" held at that moment\n")
        .append("errors       reads that failed because the database was down and the cache")
        .append(" had nothing to serve\n")
        .append("p50, p99     real time of one read on this machine, in microseconds")
        .append(" (virtual source latency not included)\n");
    return out.toString();
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
            .append("% writes behind the cache, seed ")
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
          .append("%)");
    } else {
      line.append("no outage");
    }
    return line.toString();
  }

  private static String virtualDuration(List<StrategyResult> results) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (StrategyResult r : results) {
      min = Math.min(min, r.virtualNanos());
      max = Math.max(max, r.virtualNanos());
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
