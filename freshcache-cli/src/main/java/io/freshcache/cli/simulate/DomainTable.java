package io.freshcache.cli.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Renders a domain run for people: the workload in a paragraph, one row per scenario, one block per
 * entity, and the recommendation per entity; in every column the best value is marked {@code *}.
 */
final class DomainTable {

  private DomainTable() {}

  /** A column: heading, its text, and the number that ranks it (lower is better unless high). */
  private record Column<T>(
      String heading, Function<T, String> text, ToDoubleFunction<T> rank, boolean higherIsBetter) {}

  static String render(
      DomainRunInfo info, List<ScenarioResult> results, List<Recommendation> recs) {
    StringBuilder out = new StringBuilder();
    out.append(wrap("Domain workload: " + info.describe(), 100)).append('\n');
    out.append(wrap(info.staleMeaning(), 100)).append("\n\n");

    List<Column<ScenarioResult>> summary = new ArrayList<>();
    summary.add(new Column<>("scenario", r -> r.scenario().name(), null, false));
    summary.add(
        new Column<>(
            "hit ratio", r -> Format.percent(r.hitRatio()), ScenarioResult::hitRatio, true));
    summary.add(
        new Column<>(
            "src reads/s",
            r -> Format.rate(r.sourceReadsPerSecond()),
            ScenarioResult::sourceReadsPerSecond,
            false));
    summary.add(
        new Column<>("src writes/s", r -> Format.rate(r.sourceWritesPerSecond()), null, false));
    summary.add(
        new Column<>(
            "p50 us", r -> Format.micros(r.latencyNanos()[0]), r -> r.latencyNanos()[0], false));
    summary.add(
        new Column<>(
            "p99 us", r -> Format.micros(r.latencyNanos()[1]), r -> r.latencyNanos()[1], false));
    summary.add(
        new Column<>(
            "p99.9 us", r -> Format.micros(r.latencyNanos()[2]), r -> r.latencyNanos()[2], false));
    summary.add(
        new Column<>(
            "stale", r -> Format.count(r.staleReads()), ScenarioResult::staleReads, false));
    summary.add(
        new Column<>(
            "worst",
            r -> Format.seconds(r.worstStalenessNanos()),
            ScenarioResult::worstStalenessNanos,
            false));
    summary.add(new Column<>("msgs sent", r -> Format.count(r.messagesSent()), null, false));
    summary.add(new Column<>("applied", r -> Format.count(r.messagesApplied()), null, false));
    if (info.redis() != null) {
      summary.add(
          new Column<>(
              "lag p99 us",
              r -> r.lagCount() == 0 ? "n/a" : Format.count(r.lagP99Micros()),
              r -> r.lagCount() == 0 ? Double.NaN : r.lagP99Micros(),
              false));
    }
    summary.add(
        new Column<>(
            "hot-key loads",
            r -> Format.count(r.hotKeyLoads()),
            ScenarioResult::hotKeyLoads,
            false));
    summary.add(new Column<>("entries", r -> Format.count(r.entries()), null, false));
    summary.add(new Column<>("memory", r -> Format.bytes(r.bytes()), null, false));
    table(out, summary, results);
    if (info.redis() != null) {
      long behind = results.stream().mapToLong(ScenarioResult::maxBehindNanos).max().orElse(0);
      out.append("Paced to real time: operations ran at most ")
          .append(Format.seconds(behind))
          .append(" behind their moment (a busy machine or a slow Redis shows here; the clock")
          .append(" follows real time, so\nstale reads stay judged by what had arrived). lag p99:")
          .append(" publish to applied, the slowest instance.\n");
    }

    for (Entity e : Entity.values()) {
      List<EntityResult> rows = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (ScenarioResult r : results) {
        rows.add(r.of(e));
        names.add(r.scenario().name());
      }
      out.append('\n').append(entityHeading(e, info.workload(), info.trace() != null)).append('\n');
      List<Column<Integer>> columns = new ArrayList<>();
      columns.add(new Column<>("  scenario", i -> "  " + names.get(i), null, false));
      columns.add(new Column<>("strategy", i -> rows.get(i).strategy().label(), null, false));
      columns.add(
          new Column<>(
              "hit ratio",
              i -> Format.percent(rows.get(i).hitRatio()),
              i -> rows.get(i).hitRatio(),
              true));
      columns.add(
          new Column<>(
              "src reads/s",
              i -> Format.rate(rows.get(i).sourceReadsPerSecond()),
              i -> rows.get(i).sourceReadsPerSecond(),
              false));
      columns.add(
          new Column<>(
              "p50 us",
              i -> Format.micros(rows.get(i).p50Nanos()),
              i -> rows.get(i).p50Nanos(),
              false));
      columns.add(
          new Column<>(
              "p99 us",
              i -> Format.micros(rows.get(i).p99Nanos()),
              i -> rows.get(i).p99Nanos(),
              false));
      columns.add(
          new Column<>(
              "p99.9 us",
              i -> Format.micros(rows.get(i).p999Nanos()),
              i -> rows.get(i).p999Nanos(),
              false));
      columns.add(
          new Column<>(
              "stale",
              i -> Format.count(rows.get(i).staleReads()),
              i -> rows.get(i).staleReads(),
              false));
      columns.add(
          new Column<>(
              "stale hits",
              i -> Format.percent(rows.get(i).staleHitRate()),
              i -> rows.get(i).staleHitRate(),
              false));
      columns.add(new Column<>("verifier", i -> verifierEstimate(rows.get(i)), null, false));
      columns.add(
          new Column<>(
              "worst",
              i -> Format.seconds(rows.get(i).worstStalenessNanos()),
              i -> rows.get(i).worstStalenessNanos(),
              false));
      columns.add(
          new Column<>(
              "hot-key loads",
              i -> Format.count(rows.get(i).hotKeyLoads()),
              i -> rows.get(i).hotKeyLoads(),
              false));
      columns.add(new Column<>("entries", i -> Format.count(rows.get(i).entries()), null, false));
      columns.add(new Column<>("memory", i -> Format.bytes(rows.get(i).bytes()), null, false));
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        indexes.add(i);
      }
      table(out, columns, indexes);
    }

    out.append(
            "\nRecommendation per entity (the trade-off frontier: no other strategy had both fewer")
        .append(" stale reads and fewer source reads):\n");
    int width = 0;
    for (Recommendation r : recs) {
      width = Math.max(width, r.entity().label().length());
    }
    for (Recommendation r : recs) {
      String label = String.format("  %-" + width + "s  ", r.entity().label());
      out.append(hanging(label, "use " + r.why(), 100)).append('\n');
    }
    out.append('\n')
        .append("* marks the best value of a column. hit ratio: reads answered without loading.")
        .append(" src reads/s: loads (queries, or\n")
        .append("computations of a view) per second of virtual time. p50/p99/p99.9: one get,")
        .append(" real time on this machine plus the\n")
        .append("virtual source latency of the loads it waited for. worst: the longest a stale")
        .append(" read was behind. hot-key loads:\n")
        .append("loads of each entity's most-read key, the largest (what its expiries and")
        .append(" invalidations cost the source).\n")
        .append("stale hits: the share of hits that were stale (the ground truth). verifier:")
        .append(" what the instances' freshness\nverifiers estimated from a sample of those hits")
        .append(" (one in ")
        .append(Math.round(1 / DomainInstance.VERIFY_SAMPLE_RATE))
        .append(") checked against the database, with its 95% interval\n")
        .append("and the checks made: the figure production would see.\n")
        .append("memory: entries held at the end, every instance, estimated at body + key + ")
        .append(EntityResult.ENTRY_OVERHEAD_BYTES)
        .append(" B each.\n")
        .append("Reproduce: ")
        .append(info.command())
        .append('\n');
    return out.toString();
  }

  /** The verifiers' estimate of the stale-hit rate: "9.8% (8.9-10.8%, 3,912 checks)". */
  static String verifierEstimate(EntityResult r) {
    if (r.verifierChecked() == 0) {
      return "n/a";
    }
    io.freshcache.stats.VerifierStats v = r.verification();
    return Format.percent(v.staleRate())
        + " ("
        + Format.percent(v.staleRateLow())
        + "-"
        + Format.percent(v.staleRateHigh())
        + ", "
        + Format.count(r.verifierChecked())
        + " checks)";
  }

  private static String entityHeading(Entity e, DomainWorkload w, boolean traced) {
    StringBuilder s = new StringBuilder(e.label()).append(" (").append(e.prefix()).append('*');
    if (!traced) { // a trace has its own mix
      s.append(", ").append(Format.percent(e.readShare())).append(" of reads");
    }
    if (!traced && w.writeRate(e) > 0) {
      s.append(", ").append(Format.rate(w.writeRate(e))).append(" writes/s");
    }
    for (Bulk b : Bulk.values()) {
      if (!traced && b.rows() == e && !w.every(b).isZero()) {
        s.append(", ")
            .append(b.eventType())
            .append(" every ")
            .append(Format.duration(w.every(b).toNanos()));
      }
    }
    if (e.derived()) {
      s.append(", computed from ")
          .append(
              switch (e) {
                case FEED -> "the profile";
                case RECOMMENDATIONS -> "the preferences";
                default -> "the feed, recommendations and permissions";
              });
    } else if (e == Entity.CATEGORY_LIST) {
      s.append(", a query over its products' prices");
    }
    return s.append(')').toString();
  }

  private static <T> void table(StringBuilder out, List<Column<T>> columns, List<T> rows) {
    String[][] cells = new String[rows.size() + 1][columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      Column<T> column = columns.get(c);
      cells[0][c] = column.heading();
      double best = Double.NaN;
      if (column.rank() != null && rows.size() > 1) {
        for (T row : rows) {
          double v = column.rank().applyAsDouble(row);
          if (!Double.isNaN(v)
              && (Double.isNaN(best) || (column.higherIsBetter() ? v > best : v < best))) {
            best = v;
          }
        }
      }
      for (int r = 0; r < rows.size(); r++) {
        String text = column.text().apply(rows.get(r));
        boolean marked = !Double.isNaN(best) && column.rank().applyAsDouble(rows.get(r)) == best;
        cells[r + 1][c] = column.rank() == null ? text : text + (marked ? "*" : " ");
      }
    }
    int[] widths = new int[columns.size()];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (int r = 0; r < cells.length; r++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns.size(); c++) {
        String cell = cells[r][c];
        boolean left =
            c == 0
                || columns.get(c).text() != null
                    && c == 1
                    && columns.get(0).heading().startsWith("  ");
        String pad = " ".repeat(widths[c] - cell.length());
        if (c > 0) {
          line.append("  ");
        }
        line.append(left ? cell + pad : pad + cell);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  static String wrap(String text, int width) {
    return hanging("", text, width);
  }

  /** {@code text} after {@code label}, wrapped at {@code width}, continuation lines under it. */
  static String hanging(String label, String text, int width) {
    String indent = " ".repeat(label.length());
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(label);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (!empty && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    return out.append(line).toString();
  }
}
