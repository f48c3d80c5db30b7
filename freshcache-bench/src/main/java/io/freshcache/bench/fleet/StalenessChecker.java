package io.freshcache.bench.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a run's history against the bound the README states: a read of version {@code v} of a key
 * that started more than δ after the bound of the first acknowledged newer write runs is stale
 * beyond the bound. The bound runs from the moment the newer write returned, or, for a write that
 * returned with its invalidation still owed to Redis (the writer cut off), from the moment its
 * writer's outbox was next seen empty (delivered). A write whose outbox was never seen emptied (its
 * writer died with it) bounds nothing: such reads are counted apart as {@code unbounded}. A write
 * that returned while its writer was cut off ({@link Fault#WRITER_CUT}, from the cut to the heal)
 * is bounded from its writer's reconnection: the first delivery seen after the heal (the heal
 * itself if none is seen), whatever its outbox said when the call returned — an event that was in
 * flight on the connection the cut broke reaches Redis only after the reconnection, and that is the
 * bound the README states for a partitioned writer.
 *
 * <p>Staleness of a read: how long after the first newer write returned it started (0 if none).
 * Reads and errors are counted in the first fault window that contains their start, else in {@code
 * steady}; a stale read is charged to the window in which the newer write returned.
 */
final class StalenessChecker {

  /**
   * A fault's window (System.nanoTime): from its start to {@code to}, its end plus the settling
   * time; {@code end} is when the fault itself ended (for a cut-off writer, the heal).
   */
  record Window(String label, long from, long end, long to) {}

  /** One row of the report. */
  static final class Row {
    final String label;
    long reads;
    long staleBeyond;
    long unbounded;
    long errors;
    long loads;
    long worstStalenessNanos;
    long worstPastBoundNanos = Long.MIN_VALUE;
    final Set<String> lost = new HashSet<>();
    final List<String> examples = new ArrayList<>();

    Row(String label) {
      this.label = label;
    }

    double worstStalenessMillis() {
      return worstStalenessNanos / 1e6;
    }

    void add(Row o) {
      reads += o.reads;
      staleBeyond += o.staleBeyond;
      unbounded += o.unbounded;
      errors += o.errors;
      loads += o.loads;
      worstStalenessNanos = Math.max(worstStalenessNanos, o.worstStalenessNanos);
      worstPastBoundNanos = Math.max(worstPastBoundNanos, o.worstPastBoundNanos);
      lost.addAll(o.lost);
      for (String e : o.examples) {
        if (examples.size() < 5) {
          examples.add(e);
        }
      }
    }
  }

  private record Write(long version, long ack, boolean pending, int writer) {}

  private final long deltaNanos;
  private final List<Window> windows;
  private final Map<Integer, List<Write>> writes = new HashMap<>();
  private final Map<Integer, long[]> deliveries = new HashMap<>();
  private final Map<Integer, List<Long>> deliveryLists = new HashMap<>();
  private final List<HistoryLog.Event> reads = new ArrayList<>();
  private final List<HistoryLog.Event> errors = new ArrayList<>();
  private final Map<Long, Long> loadsPer100ms = new HashMap<>();

  StalenessChecker(long deltaNanos, List<Window> windows) {
    this.deltaNanos = deltaNanos;
    this.windows = windows;
  }

  void accept(HistoryLog.Event e) {
    switch (e.kind()) {
      case HistoryLog.READ -> reads.add(e);
      case HistoryLog.WRITE ->
          writes
              .computeIfAbsent(e.key(), k -> new ArrayList<>())
              .add(new Write(e.version(), e.end(), e.flag(), e.instance()));
      case HistoryLog.DELIVERED ->
          deliveryLists.computeIfAbsent(e.instance(), k -> new ArrayList<>()).add(e.start());
      case HistoryLog.ERROR -> errors.add(e);
      case HistoryLog.LOAD -> loadsPer100ms.merge(e.start() / 100_000_000L, 1L, Long::sum);
      default -> throw new IllegalStateException("unknown record kind " + e.kind());
    }
  }

  void loads(long bucket, long count) {
    loadsPer100ms.merge(bucket, count, Long::sum);
  }

  private long deliveredAfter(int writer, long at) {
    long[] marks = deliveries.get(writer);
    if (marks == null) {
      return Long.MAX_VALUE;
    }
    int i = Arrays.binarySearch(marks, at);
    i = i >= 0 ? i : -i - 1;
    return i < marks.length ? marks[i] : Long.MAX_VALUE;
  }

  /** The rows of the report, one per fault window in order, then steady, then all. */
  Map<String, Row> judge() {
    deliveryLists.forEach(
        (w, list) ->
            deliveries.put(w, list.stream().mapToLong(Long::longValue).sorted().toArray()));
    // Per key, per version v: the first ack of a newer write, and the earliest bound start.
    Map<Integer, long[][]> byKey = new HashMap<>();
    writes.forEach(
        (key, list) -> {
          int max = list.stream().mapToInt(w -> (int) w.version()).max().orElse(0);
          long[] ack = new long[max + 2];
          long[] bound = new long[max + 2];
          Arrays.fill(ack, Long.MAX_VALUE);
          Arrays.fill(bound, Long.MAX_VALUE);
          for (Write w : list) {
            int u = (int) w.version();
            long from = w.pending() ? deliveredAfter(w.writer(), w.ack()) : w.ack();
            for (Window cut : windows) {
              if (cut.label().equals(Fault.WRITER_CUT.label())
                  && w.ack() >= cut.from()
                  && w.ack() <= cut.end()) {
                long reconnected = deliveredAfter(w.writer(), cut.end());
                from = Math.max(from, reconnected == Long.MAX_VALUE ? cut.end() : reconnected);
              }
            }
            ack[u] = Math.min(ack[u], w.ack());
            bound[u] = Math.min(bound[u], from);
          }
          // suffix minima: for version v, over writes of versions > v
          long[] ackAfter = new long[max + 2];
          long[] boundAfter = new long[max + 2];
          ackAfter[max + 1] = Long.MAX_VALUE;
          boundAfter[max + 1] = Long.MAX_VALUE;
          for (int v = max; v >= 0; v--) {
            ackAfter[v] = Math.min(ackAfter[v + 1], ack[v + 1]);
            boundAfter[v] = Math.min(boundAfter[v + 1], bound[v + 1]);
          }
          byKey.put(key, new long[][] {ackAfter, boundAfter});
        });

    Map<String, Row> rows = new LinkedHashMap<>();
    for (Window w : windows) {
      rows.computeIfAbsent(w.label(), Row::new);
    }
    Row steady = new Row("steady");
    for (HistoryLog.Event r : reads) {
      rowFor(rows, steady, r.start()).reads++;
      long[][] k = byKey.get(r.key());
      if (k == null || r.version() >= k[0].length - 1) {
        continue; // no acknowledged newer write
      }
      int v = (int) r.version();
      long firstAck = k[0][v];
      if (firstAck == Long.MAX_VALUE || r.start() <= firstAck) {
        continue;
      }
      // Staleness is charged to the fault during which the newer write returned: the one its
      // invalidation had to get through (a key left stale for good would otherwise show in
      // every later window).
      Row row = rowFor(rows, steady, firstAck);
      long staleness = r.start() - firstAck;
      row.worstStalenessNanos = Math.max(row.worstStalenessNanos, staleness);
      long boundFrom = k[1][v];
      if (boundFrom == Long.MAX_VALUE) {
        row.unbounded++;
        continue;
      }
      long past = r.start() - (boundFrom + deltaNanos);
      row.worstPastBoundNanos = Math.max(row.worstPastBoundNanos, past);
      if (past > 0) {
        row.staleBeyond++;
        String lost = "instance " + r.instance() / 1_000 + " key k" + r.key() + " v" + v;
        if (row.lost.add(lost) && row.examples.size() < 5) {
          row.examples.add(
              String.format(
                  java.util.Locale.ROOT,
                  "%s read %.1f ms past the bound (the newer write returned %.1f ms before)",
                  lost,
                  past / 1e6,
                  staleness / 1e6));
        }
      }
    }
    for (HistoryLog.Event e : errors) {
      rowFor(rows, steady, e.start()).errors++;
    }
    loadsPer100ms.forEach(
        (bucket, n) -> rowFor(rows, steady, bucket * 100_000_000L + 50_000_000L).loads += n);
    rows.put("steady", steady);
    Row all = new Row("all");
    rows.values().forEach(all::add);
    rows.put("all", all);
    return rows;
  }

  private Row rowFor(Map<String, Row> rows, Row steady, long at) {
    for (Window w : windows) {
      if (at >= w.from() && at <= w.to()) {
        return rows.get(w.label());
      }
    }
    return steady;
  }
}
