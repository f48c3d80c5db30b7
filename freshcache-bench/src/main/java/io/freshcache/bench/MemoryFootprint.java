package io.freshcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshcache.CacheGroup;
import io.freshcache.DependsOn;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Retained heap per entry, freshcache against Caffeine configured for the same job ({@code
 * maximumSize} + {@code expireAfterWrite}), measured the same way for both: the heap used after a
 * full GC with the cache filled, minus the heap used after a full GC with the keys and values alone
 * (held in arrays that both share), divided by the number of entries. A plain main class:
 *
 * <pre>
 * java -Xmx4g -cp freshcache-bench/target/benchmarks.jar io.freshcache.bench.MemoryFootprint [entries]
 * </pre>
 *
 * <p>Default 1,000,000 entries, String keys ({@code "key-" + i}) and small String values. Rows:
 * Caffeine; freshcache with {@code Expiry.ttl}; with two tags per entry; with one dependency per
 * entry (a dependency-graph edge each).
 */
public final class MemoryFootprint {

  private static final Duration TTL = Duration.ofHours(1);

  private static String[] keys;
  private static String[] values;
  private static Object held; // keeps the measured cache reachable through the measurement
  private static double keysAndValues; // bytes per entry of one key and one value

  /**
   * What one run measured, in bytes per entry: one key and one value ({@code keysAndValues}), and
   * each cache's retained heap beyond them, Caffeine's first.
   */
  record Footprint(double keysAndValues, List<Measured> caches) {

    Measured caffeine() {
      return caches.get(0);
    }
  }

  /** One cache's bytes per entry beyond the keys and values. */
  record Measured(String label, double bytes) {}

  public static void main(String[] args) {
    measure(args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000, System.out);
  }

  /** Measures every row with {@code entries} entries, printing each to {@code out}. */
  static Footprint measure(int entries, PrintStream out) {
    keys = new String[entries];
    values = new String[entries];
    long empty = usedAfterGc();
    for (int i = 0; i < entries; i++) {
      keys[i] = "key-" + i;
      values[i] = "value-" + i;
    }
    // less the two arrays' own slots (a reference each): what the keys and values themselves take
    keysAndValues = (double) (usedAfterGc() - empty) / entries - 2.0 * referenceBytes();
    out.printf(
        Locale.ROOT,
        "%,d entries, String keys and values; bytes per entry beyond the keys and values:%n",
        entries);
    List<Measured> caches = new ArrayList<>();
    Measured caffeine =
        measure(
            out,
            "Caffeine maximumSize + expireAfterWrite",
            () -> {
              Cache<String, String> cache =
                  Caffeine.newBuilder()
                      .maximumSize(entries + entries / 2)
                      .expireAfterWrite(TTL)
                      .build();
              fill(entries, i -> cache.put(keys[i], values[i]));
              return cache;
            });
    caches.add(caffeine);
    caches.add(
        report(
            out,
            "freshcache Expiry.ttl",
            caffeine,
            () -> {
              FreshCache<String, String> cache = plain("plain", entries);
              fill(entries, i -> cache.put(keys[i], values[i]));
              return cache;
            }));
    caches.add(
        report(
            out,
            "freshcache Expiry.ttl, 2 tags per entry",
            caffeine,
            () -> {
              FreshCache<String, String> cache = plain("tags", entries);
              fill(
                  entries, i -> cache.put(keys[i], values[i], Tags.of("shard:" + (i % 64), "all")));
              return cache;
            }));
    caches.add(
        report(
            out,
            "freshcache Expiry.ttl, 1 dependency per entry",
            caffeine,
            () -> {
              CacheGroup group = CacheGroup.builder("memory").build();
              FreshCache<String, String> cache =
                  group
                      .cache("derived", String.class, String.class)
                      .maximumSize(entries + entries / 2)
                      .expiry(Expiry.ttl(TTL))
                      .build();
              fill(
                  entries,
                  i -> cache.put(keys[i], values[i], DependsOn.keys("root:" + (i % 1_000))));
              return group;
            }));
    Footprint footprint = new Footprint(keysAndValues, List.copyOf(caches));
    keys = null;
    values = null;
    return footprint;
  }

  private static FreshCache<String, String> plain(String name, int entries) {
    return FreshCache.builder(name, String.class, String.class)
        .maximumSize(entries + entries / 2)
        .expiry(Expiry.ttl(TTL))
        .build();
  }

  private static void fill(int entries, IntConsumer put) {
    for (int i = 0; i < entries; i++) {
      put.accept(i);
    }
  }

  private static Measured report(
      PrintStream out, String label, Measured caffeine, java.util.function.Supplier<Object> build) {
    Measured measured = measure(out, label, build);
    out.printf(
        Locale.ROOT,
        "    %.2f× Caffeine's; %.2f× counting the keys and values the caches hold (%.1f B)%n",
        measured.bytes() / caffeine.bytes(),
        (measured.bytes() + keysAndValues) / (caffeine.bytes() + keysAndValues),
        keysAndValues);
    return measured;
  }

  private static Measured measure(
      PrintStream out, String label, java.util.function.Supplier<Object> build) {
    long base = usedAfterGc();
    held = build.get();
    long filled = usedAfterGc();
    double perEntry = (double) (filled - base) / keys.length;
    out.printf(Locale.ROOT, "%-48s %8.1f B%n", label, perEntry);
    if (held instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    held = null;
    return new Measured(label, perEntry);
  }

  /** 4 with compressed references (heaps under 32 GB), else 8. */
  private static int referenceBytes() {
    return Runtime.getRuntime().maxMemory() < 32L << 30 ? 4 : 8;
  }

  private static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
