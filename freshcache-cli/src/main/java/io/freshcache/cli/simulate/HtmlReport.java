package io.freshcache.cli.simulate;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Renders a domain run as one self-contained HTML page: inline CSS and SVG charts, no script, no
 * fetch of anything. A chart per measure across scenarios, stale reads over time, a table per
 * entity, the recommendation, and the command that reproduces the run.
 */
final class HtmlReport {

  private static final String[] COLORS = {
    "#6b7280", "#3b82f6", "#f59e0b", "#10b981", "#8b5cf6", "#ef4444", "#14b8a6", "#ec4899"
  };

  private HtmlReport() {}

  static String render(
      DomainRunInfo info, List<ScenarioResult> results, List<Recommendation> recs) {
    StringBuilder h = head();
    h.append("<h1>freshcache simulate: which strategy for which data, at what cost</h1>\n");
    h.append("<p>").append(esc(info.describe())).append("</p>\n");
    h.append("<p>").append(esc(info.staleMeaning())).append("</p>\n");
    h.append("<p>Reproduce with <code>")
        .append(esc(info.command()))
        .append("</code> (seed ")
        .append(info.workload().seed())
        .append(").</p>\n");

    h.append("<h2 id=\"recommendation\">Recommendation per entity</h2>\n<ul class=\"rec\">");
    for (Recommendation r : recs) {
      h.append("<li><b>")
          .append(esc(r.entity().label()))
          .append("</b>: use ")
          .append(esc(r.why()))
          .append("</li>");
    }
    h.append(
        "</ul>\n<p>The frontier: strategies for which no other had both fewer stale reads and"
            + " fewer source reads. The pick is the frontier's freshest, then cheapest.</p>\n");

    h.append(
        "<h2 id=\"scenarios\">Scenarios</h2>\n<table><tr><th>scenario</th><th>hit ratio</th>"
            + "<th>source reads/s</th><th>source writes/s</th><th>p50 µs</th><th>p99 µs</th>"
            + "<th>p99.9 µs</th><th>stale reads</th><th>worst</th><th>msgs sent</th>"
            + "<th>applied</th><th>lag p99 µs</th><th>entries</th><th>memory</th></tr>\n");
    double bestHit = best(results, ScenarioResult::hitRatio, true);
    double bestLoad = best(results, ScenarioResult::sourceReadsPerSecond, false);
    double bestStale = best(results, ScenarioResult::staleReads, false);
    double bestP99 = best(results, r -> r.latencyNanos()[1], false);
    for (ScenarioResult r : results) {
      h.append("<tr><td>")
          .append(esc(r.scenario().name()))
          .append("</td>")
          .append(cell(Format.percent(r.hitRatio()), r.hitRatio() == bestHit))
          .append(cell(Format.rate(r.sourceReadsPerSecond()), r.sourceReadsPerSecond() == bestLoad))
          .append(cell(Format.rate(r.sourceWritesPerSecond()), false))
          .append(cell(Format.micros(r.latencyNanos()[0]), false))
          .append(cell(Format.micros(r.latencyNanos()[1]), r.latencyNanos()[1] == bestP99))
          .append(cell(Format.micros(r.latencyNanos()[2]), false))
          .append(cell(Format.count(r.staleReads()), r.staleReads() == bestStale))
          .append(cell(Format.seconds(r.worstStalenessNanos()), false))
          .append(cell(Format.count(r.messagesSent()), false))
          .append(cell(Format.count(r.messagesApplied()), false))
          .append(cell(r.lagCount() == 0 ? "n/a" : Format.count(r.lagP99Micros()), false))
          .append(cell(Format.count(r.entries()), false))
          .append(cell(Format.bytes(r.bytes()), false))
          .append("</tr>\n");
    }
    h.append("</table>\n<p>").append(esc(descriptions(results))).append("</p>\n");

    h.append("<h2 id=\"measures\">Each measure across scenarios</h2>\n<div class=\"charts\">\n");
    bars(
        h,
        results,
        "Hit ratio (higher is better)",
        ScenarioResult::hitRatio,
        r -> Format.percent(r.hitRatio()));
    bars(
        h,
        results,
        "Source reads per second",
        ScenarioResult::sourceReadsPerSecond,
        r -> Format.rate(r.sourceReadsPerSecond()));
    bars(h, results, "Stale reads", ScenarioResult::staleReads, r -> Format.count(r.staleReads()));
    bars(
        h,
        results,
        "Worst staleness (seconds)",
        r -> r.worstStalenessNanos() / 1e9,
        r -> Format.seconds(r.worstStalenessNanos()));
    bars(
        h,
        results,
        "Get latency p99 (µs)",
        r -> r.latencyNanos()[1] / 1e3,
        r -> Format.micros(r.latencyNanos()[1]));
    bars(
        h,
        results,
        "Get latency p99.9 (µs)",
        r -> r.latencyNanos()[2] / 1e3,
        r -> Format.micros(r.latencyNanos()[2]));
    bars(
        h,
        results,
        "Invalidation messages sent",
        ScenarioResult::messagesSent,
        r -> Format.count(r.messagesSent()));
    bars(
        h, results, "Memory held (estimated)", ScenarioResult::bytes, r -> Format.bytes(r.bytes()));
    if (info.redis() != null) {
      bars(
          h,
          results,
          "Propagation lag p99 (µs)",
          ScenarioResult::lagP99Micros,
          r -> Format.count(r.lagP99Micros()));
    }
    h.append("</div>\n");

    h.append("<h2 id=\"timeline\">Stale reads over time</h2>\n");
    timeline(h, results);

    h.append(
        "<h2 id=\"per-entity\">Per entity: stale reads / source reads per second</h2>\n<table><tr><th>entity</th>");
    for (ScenarioResult r : results) {
      h.append("<th>").append(esc(r.scenario().name())).append("</th>");
    }
    h.append("</tr>\n");
    for (Entity e : Entity.values()) {
      h.append("<tr><td>").append(esc(e.label())).append("</td>");
      long fewest = Long.MAX_VALUE;
      for (ScenarioResult r : results) {
        fewest = Math.min(fewest, r.of(e).staleReads());
      }
      for (ScenarioResult r : results) {
        EntityResult m = r.of(e);
        h.append(
            cell(
                m.strategy().label()
                    + ": "
                    + Format.count(m.staleReads())
                    + " / "
                    + Format.rate(m.sourceReadsPerSecond()),
                m.staleReads() == fewest));
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");

    h.append(
            "<h2 id=\"verifier\">Per entity: stale hits, the truth and the verifiers' estimate</h2>\n")
        .append("<p>The share of hits that were stale, as the simulator knows it, and what each")
        .append(" instance's freshness verifier estimated from a sample of its hits (one in ")
        .append(Math.round(1 / DomainInstance.VERIFY_SAMPLE_RATE))
        .append(") checked against the database, with its 95% interval: the figure production")
        .append(" would see.</p>\n<table><tr><th>entity</th>");
    for (ScenarioResult r : results) {
      h.append("<th>").append(esc(r.scenario().name())).append("</th>");
    }
    h.append("</tr>\n");
    for (Entity e : Entity.values()) {
      h.append("<tr><td>").append(esc(e.label())).append("</td>");
      for (ScenarioResult r : results) {
        EntityResult m = r.of(e);
        h.append(
            cell(
                m.hits() == 0
                    ? "n/a"
                    : Format.percent(m.staleHitRate())
                        + " · verifier "
                        + DomainTable.verifierEstimate(m),
                false));
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  /**
   * Renders a products run as one self-contained page, as {@link #render} does a domain run: the
   * workload, what stale means, the command that reproduces it, a table of the strategies and a
   * chart per measure across them.
   *
   * @param command the command line that reproduces the run
   */
  static String renderProducts(
      Workload workload, Trace trace, List<StrategyResult> results, String command) {
    StringBuilder h = head();
    h.append("<h1>freshcache simulate: one products table, every strategy, at what cost</h1>\n");
    h.append("<p>").append(esc(TableReport.header(workload, trace, results))).append("</p>\n");
    h.append("<p>Stale reads: ").append(esc(TableReport.staleColumn(workload))).append(". ");
    if (results.stream().anyMatch(r -> r instanceof ClusterResult)) {
      h.append(esc(TableReport.staleMode(results)));
    }
    h.append("</p>\n<p>Reproduce with <code>")
        .append(esc(command))
        .append("</code> (seed ")
        .append(workload.seed())
        .append(").</p>\n");

    h.append(
        "<h2 id=\"strategies\">Strategies</h2>\n<table><tr><th>strategy</th><th>instances</th>"
            + "<th>hit ratio</th><th>source loads</th><th>stale reads</th><th>errors</th>"
            + "<th>p50 µs</th><th>p99 µs</th><th>lag p99 µs</th><th>configuration</th></tr>\n");
    double bestHit = best(results, r -> r.measured().hitRatio(), true);
    double bestLoads = best(results, r -> r.measured().sourceLoads(), false);
    double bestStale = best(results, r -> r.measured().staleReads(), false);
    double bestErrors = best(results, r -> r.measured().errors(), false);
    double bestP99 = best(results, r -> r.measured().latency().p99Nanos(), false);
    for (StrategyResult r : results) {
      Measurements m = r.measured();
      h.append("<tr><td>")
          .append(esc(r.strategy().label()))
          .append("</td>")
          .append(cell(Integer.toString(r.instances()), false))
          .append(cell(Format.percent(m.hitRatio()), m.hitRatio() == bestHit))
          .append(cell(Format.count(m.sourceLoads()), m.sourceLoads() == bestLoads))
          .append(cell(Format.count(m.staleReads()), m.staleReads() == bestStale))
          .append(cell(Format.count(m.errors()), m.errors() == bestErrors))
          .append(cell(Format.micros(m.latency().p50Nanos()), false))
          .append(cell(Format.micros(m.latency().p99Nanos()), m.latency().p99Nanos() == bestP99))
          .append(cell(lag(r) < 0 ? "n/a" : Format.count(lag(r)), false))
          .append("<td style=\"text-align:left\">")
          .append(esc(r.strategy().description()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    Function<StrategyResult, String> name = r -> r.strategy().label();
    h.append("<h2 id=\"measures\">Each measure across strategies</h2>\n<div class=\"charts\">\n");
    bars(
        h,
        results,
        name,
        "Hit ratio (higher is better)",
        r -> r.measured().hitRatio(),
        r -> Format.percent(r.measured().hitRatio()));
    bars(
        h,
        results,
        name,
        "Source loads",
        r -> r.measured().sourceLoads(),
        r -> Format.count(r.measured().sourceLoads()));
    bars(
        h,
        results,
        name,
        "Stale reads",
        r -> r.measured().staleReads(),
        r -> Format.count(r.measured().staleReads()));
    bars(
        h,
        results,
        name,
        "Errors (database down, nothing to serve)",
        r -> r.measured().errors(),
        r -> Format.count(r.measured().errors()));
    bars(
        h,
        results,
        name,
        "Get latency p50 (µs)",
        r -> r.measured().latency().p50Nanos() / 1e3,
        r -> Format.micros(r.measured().latency().p50Nanos()));
    bars(
        h,
        results,
        name,
        "Get latency p99 (µs)",
        r -> r.measured().latency().p99Nanos() / 1e3,
        r -> Format.micros(r.measured().latency().p99Nanos()));
    List<StrategyResult> lagged = results.stream().filter(r -> lag(r) >= 0).toList();
    if (!lagged.isEmpty()) {
      bars(
          h,
          lagged,
          name,
          "Propagation lag p99, slowest instance (µs)",
          HtmlReport::lag,
          r -> Format.count(lag(r)));
    }
    h.append("</div>\n</body></html>\n");
    return h.toString();
  }

  /** The p99 propagation lag of a run's slowest instance, µs; -1 if none was measured. */
  private static long lag(StrategyResult r) {
    return r instanceof ClusterResult c
            && c.cluster().redis() != null
            && c.cluster().lagsMeasured() > 0
        ? c.cluster().worstP99Micros()
        : -1;
  }

  /** The page's head and the opening of its body: inline style, nothing fetched. */
  private static StringBuilder head() {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>freshcache simulate report</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1200px}")
        .append("h1{font-size:22px}h2{font-size:18px;margin-top:28px}")
        .append("table{border-collapse:collapse;font-size:13px}")
        .append("td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}")
        .append(".best{font-weight:bold;background:#dcfce7}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:16px}")
        .append(".chart{border:1px solid #eee;padding:8px}")
        .append("code,pre{background:#f3f4f6;padding:2px 4px;white-space:pre-wrap}")
        .append(".rec li{margin:4px 0}")
        .append("</style></head><body>\n");
    return h;
  }

  private static String descriptions(List<ScenarioResult> results) {
    StringBuilder s = new StringBuilder();
    for (ScenarioResult r : results) {
      s.append(s.length() == 0 ? "" : " · ")
          .append(r.scenario().name())
          .append(": ")
          .append(r.scenario().description());
    }
    return s.toString();
  }

  /** The best value of {@code f} over the rows: the highest if {@code high}, else the lowest. */
  private static <T> double best(List<T> results, ToDoubleFunction<T> f, boolean high) {
    double best = Double.NaN;
    for (T r : results) {
      double v = f.applyAsDouble(r);
      if (!Double.isNaN(v) && (Double.isNaN(best) || (high ? v > best : v < best))) {
        best = v;
      }
    }
    return best;
  }

  private static String cell(String text, boolean best) {
    return (best ? "<td class=\"best\">" : "<td>") + esc(text) + "</td>";
  }

  /** A horizontal bar chart: one bar per scenario. */
  private static void bars(
      StringBuilder h,
      List<ScenarioResult> results,
      String title,
      ToDoubleFunction<ScenarioResult> value,
      Function<ScenarioResult, String> label) {
    bars(h, results, r -> r.scenario().name(), title, value, label);
  }

  /** A horizontal bar chart: one bar per row, named by {@code name}. */
  private static <T> void bars(
      StringBuilder h,
      List<T> results,
      Function<T, String> name,
      String title,
      ToDoubleFunction<T> value,
      Function<T, String> label) {
    int row = 22;
    int left = 120;
    for (T r : results) {
      left = Math.max(left, 7 * name.apply(r).length() + 12); // room for the longest name
    }
    int barWidth = 300;
    int width = left + barWidth + 90;
    int height = 30 + row * results.size();
    double max = 0;
    for (T r : results) {
      double v = value.applyAsDouble(r);
      if (!Double.isNaN(v)) {
        max = Math.max(max, v);
      }
    }
    h.append("<div class=\"chart\"><svg width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(esc(title))
        .append("\">")
        .append("<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">")
        .append(esc(title))
        .append("</text>");
    for (int i = 0; i < results.size(); i++) {
      T r = results.get(i);
      double v = value.applyAsDouble(r);
      int w = max <= 0 || Double.isNaN(v) ? 0 : (int) Math.round(barWidth * v / max);
      int y = 26 + i * row;
      h.append("<text x=\"0\" y=\"")
          .append(y + 14)
          .append("\" font-size=\"12\">")
          .append(esc(name.apply(r)))
          .append("</text>")
          .append("<rect x=\"")
          .append(left)
          .append("\" y=\"")
          .append(y + 2)
          .append("\" width=\"")
          .append(Math.max(1, w))
          .append("\" height=\"")
          .append(row - 6)
          .append("\" fill=\"")
          .append(COLORS[i % COLORS.length])
          .append("\"/>")
          .append("<text x=\"")
          .append(left + Math.max(1, w) + 4)
          .append("\" y=\"")
          .append(y + 14)
          .append("\" font-size=\"12\">")
          .append(esc(label.apply(r)))
          .append("</text>");
    }
    h.append("</svg></div>\n");
  }

  /** Stale reads per second of virtual time, one line per scenario. */
  private static void timeline(StringBuilder h, List<ScenarioResult> results) {
    int width = 900;
    int height = 260;
    int left = 60;
    int bottom = 30;
    int seconds = 1;
    long max = 1;
    for (ScenarioResult r : results) {
      seconds = Math.max(seconds, r.staleBySecond().length);
      for (long v : r.staleBySecond()) {
        max = Math.max(max, v);
      }
    }
    double dx = (double) (width - left - 20) / Math.max(1, seconds - 1);
    double plot = height - bottom - 20;
    h.append("<div class=\"chart\"><svg width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height + 24 * ((results.size() + 3) / 4))
        .append("\" role=\"img\" aria-label=\"stale reads over time\">");
    h.append(line(left, 20, left, height - bottom))
        .append(line(left, height - bottom, width - 20, height - bottom));
    for (int k = 0; k <= 4; k++) {
      double y = height - bottom - plot * k / 4;
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
              left - 4,
              y + 4,
              Format.count(Math.round(max * k / 4.0))));
    }
    int step = Math.max(1, seconds / 10);
    for (int s = 0; s < seconds; s += step) {
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%ds</text>",
              left + s * dx,
              height - bottom + 16,
              s));
    }
    for (int i = 0; i < results.size(); i++) {
      long[] series = results.get(i).staleBySecond();
      StringBuilder points = new StringBuilder();
      for (int s = 0; s < series.length; s++) {
        points.append(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f ",
                left + s * dx,
                height - bottom - plot * series[s] / max));
      }
      h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
          .append(COLORS[i % COLORS.length])
          .append("\" points=\"")
          .append(points.toString().strip())
          .append("\"/>");
      int lx = left + (i % 4) * 210;
      int ly = height + 8 + 24 * (i / 4);
      h.append("<rect x=\"")
          .append(lx)
          .append("\" y=\"")
          .append(ly)
          .append("\" width=\"14\" height=\"10\" fill=\"")
          .append(COLORS[i % COLORS.length])
          .append("\"/><text x=\"")
          .append(lx + 18)
          .append("\" y=\"")
          .append(ly + 10)
          .append("\" font-size=\"12\">")
          .append(esc(results.get(i).scenario().name()))
          .append("</text>");
    }
    h.append(
        "</svg><div style=\"font-size:12px\">stale reads per second of virtual time, every"
            + " entity</div></div>\n");
  }

  private static String line(int x1, int y1, int x2, int y2) {
    return "<line x1=\""
        + x1
        + "\" y1=\""
        + y1
        + "\" x2=\""
        + x2
        + "\" y2=\""
        + y2
        + "\" stroke=\"#999\"/>";
  }

  static String esc(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
