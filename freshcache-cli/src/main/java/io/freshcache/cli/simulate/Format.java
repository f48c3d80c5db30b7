package io.freshcache.cli.simulate;

import java.util.Locale;

/** How the domain workload's reports print numbers: one home for every column's format. */
final class Format {

  private Format() {}

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A rate per second: one decimal below 100, none above. */
  static String rate(double perSecond) {
    return Math.abs(perSecond) < 100
        ? String.format(Locale.ROOT, "%,.1f", perSecond)
        : String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  static String percent(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  /** Nanoseconds as microseconds, no decimals from 100 us up. */
  static String micros(long nanos) {
    double us = nanos / 1e3;
    return us < 100
        ? String.format(Locale.ROOT, "%.1f", us)
        : String.format(Locale.ROOT, "%,.0f", us);
  }

  /** A staleness: "0", "850 ms", "12.3 s". */
  static String seconds(long nanos) {
    if (nanos == 0) {
      return "0";
    }
    if (nanos < 1_000_000_000L) {
      return String.format(Locale.ROOT, "%,.0f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%,.1f s", nanos / 1e9);
  }

  /** Bytes as B, KiB, MiB. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** A duration given in nanoseconds, as the options take it: "30s", "500ms". */
  static String duration(long nanos) {
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos >= 1_000_000_000L) {
      return stripped(nanos / 1e9) + "s";
    }
    return String.format(Locale.ROOT, "%sms", stripped(nanos / 1e6));
  }

  static String stripped(double x) {
    return new java.math.BigDecimal(x)
        .setScale(3, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }
}
