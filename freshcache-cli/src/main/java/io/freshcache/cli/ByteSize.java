package io.freshcache.cli;

import java.util.Locale;

/**
 * Amounts of memory as the messages of every command print them: the heap, an estimate, the {@code
 * -Xmx} to ask for.
 */
public final class ByteSize {

  private static final long GIB = 1L << 30;

  private ByteSize() {}

  /** {@code bytes} as people read it: {@code 350 MiB}, {@code 5.8 GiB}, {@code 38 GiB}. */
  public static String text(long bytes) {
    double gib = (double) bytes / GIB;
    if (gib < 1) {
      return String.format(Locale.ROOT, "%d MiB", Math.round(gib * 1024));
    }
    return gib < 10
        ? String.format(Locale.ROOT, "%.1f GiB", gib)
        : String.format(Locale.ROOT, "%,d GiB", Math.round(gib));
  }

  /** {@code bytes} in whole GiB, rounded up. */
  public static long ceilGib(long bytes) {
    return (bytes + GIB - 1) / GIB;
  }
}
