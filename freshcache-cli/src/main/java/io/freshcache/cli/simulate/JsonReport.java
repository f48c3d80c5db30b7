package io.freshcache.cli.simulate;

import io.freshcache.stats.CacheStats;
import io.freshcache.stats.PropagationLag;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders the results of {@code freshcache simulate --json} for programs: one JSON object with the
 * workload and one entry per strategy. Durations carry their unit in the field name; a ratio with
 * nothing to divide is {@code null}. A multi-instance strategy's entry also has a {@code cluster}
 * object ({@link ClusterStats}); a time-based one has {@code "cluster": null}.
 *
 * <pre>{@code
 * {"workload": {"keys": 2000, "ops": 200000, ..., "outage": {"fraction": 0.1, ...}},
 *  "strategies": [{"name": "ttl", "instances": 1, "hitRatio": 0.95, ..., "cluster": null},
 *                 {"name": "pub-sub", "instances": 3, ..., "cluster": {"events": 4012, ...}}]}
 * }</pre>
 */
final class JsonReport {

  private JsonReport() {}

  /** The report: a JSON object, pretty-printed, ending in {@code \n}. */
  static String render(Workload workload, Trace trace, List<StrategyResult> results) {
    StringBuilder out = new StringBuilder();
    out.append("{\n");
    out.append("  \"workload\": {\n");
    field(out, 4, "keys", workload.keys());
    field(out, 4, "ops", workload.ops());
    field(out, 4, "reads", trace.reads());
    field(out, 4, "writes", trace.writes());
    field(out, 4, "ratePerSecond", workload.rate());
    field(out, 4, "sourceLatencyMillis", workload.sourceLatency().toNanos() / 1e6);
    field(out, 4, "skew", workload.skew());
    field(out, 4, "writeRatio", workload.writeRatio());
    field(out, 4, "seed", workload.seed());
    field(out, 4, "instances", workload.instances());
    field(out, 4, "toleranceMillis", workload.toleranceNanos() / 1e6);
    field(out, 4, "paced", workload.paced());
    field(
        out,
        4,
        "stale",
        "stale: " + TableReport.staleColumn(workload) + ". " + TableReport.staleMode(results));
    out.append("    \"outage\": ");
    if (workload.hasOutage()) {
      out.append("{\"fraction\": ")
          .append(number(workload.outage()))
          .append(", \"fromOp\": ")
          .append(workload.outageFromOp())
          .append(", \"toOp\": ")
          .append(workload.outageToOp())
          .append("}\n");
    } else {
      out.append("null\n");
    }
    out.append("  },\n");
    out.append("  \"strategies\": [");
    for (int i = 0; i < results.size(); i++) {
      StrategyResult r = results.get(i);
      Measurements m = r.measured();
      out.append(i == 0 ? "\n" : ",\n").append("    {\n");
      field(out, 6, "name", r.strategy().label());
      field(out, 6, "configuration", r.strategy().description());
      field(out, 6, "instances", r.instances());
      field(out, 6, "reads", m.reads());
      field(out, 6, "hits", m.hits());
      field(out, 6, "hitRatio", m.hitRatio());
      field(out, 6, "sourceLoads", m.sourceLoads());
      field(out, 6, "staleReads", m.staleReads());
      field(out, 6, "errors", m.errors());
      field(out, 6, "p50Micros", m.latency().p50Nanos() / 1e3);
      field(out, 6, "p99Micros", m.latency().p99Nanos() / 1e3);
      field(out, 6, "maxMicros", m.latency().maxNanos() / 1e3);
      field(out, 6, "virtualSeconds", m.virtualNanos() / 1e9);
      if (r instanceof TimeResult time) {
        field(
            out,
            6,
            "versionConflicts",
            time.cacheStats().map(CacheStats::versionConflicts).orElse(null));
        out.append("      \"outageVirtualSeconds\": ").append(outage(time.outage())).append(",\n");
        out.append("      \"cluster\": null\n");
      } else if (r instanceof ClusterResult clustered) {
        field(out, 6, "versionConflicts", clustered.cluster().versionConflicts());
        out.append("      \"outageVirtualSeconds\": null,\n");
        out.append("      \"cluster\": ").append(cluster(clustered.cluster())).append('\n');
      } else {
        throw new IllegalArgumentException("no such kind of result: " + r);
      }
      out.append("    }");
    }
    out.append(results.isEmpty() ? "]\n" : "\n  ]\n");
    out.append("}\n");
    return out.toString();
  }

  /** When a time-based run's database was down, in virtual seconds, or {@code null}. */
  private static String outage(Optional<TimeResult.Outage> outage) {
    return outage
        .map(
            o ->
                "{\"from\": "
                    + number(o.fromNanos() / 1e9)
                    + ", \"to\": "
                    + number(o.toNanos() / 1e9)
                    + "}")
        .orElse("null");
  }

  /** A multi-instance run's details as one JSON object. */
  private static String cluster(ClusterStats c) {
    StringBuilder out = new StringBuilder("{\n");
    field(out, 8, "instances", c.instances());
    field(out, 8, "writes", c.writes());
    field(out, 8, "rowsWritten", c.rowsWritten());
    field(out, 8, "events", c.events());
    field(out, 8, "handlerCalls", c.totalHandlerCalls());
    out.append("        \"handlerCallsPerInstance\": ").append(c.handlerCalls()).append(",\n");
    field(out, 8, "busMessages", c.busMessages());
    field(out, 8, "cascaded", c.cascaded());
    field(out, 8, "versionConflicts", c.versionConflicts());
    field(out, 8, "writesFlushed", c.writesFlushed());
    field(out, 8, "writesSuperseded", c.writesSuperseded());
    field(out, 8, "rowsBehind", c.rowsBehind());
    field(out, 8, "summaryReads", c.summaryReads());
    field(out, 8, "summaryHits", c.summaryHits());
    field(out, 8, "summaryStaleReads", c.summaryStaleReads());
    field(out, 8, "summaryLoads", c.summaryLoads());
    field(out, 8, "realSeconds", c.realNanos() / 1e9);
    field(out, 8, "redis", c.redis());
    field(out, 8, "losses", c.losses());
    field(out, 8, "suspensions", c.suspensions());
    field(out, 8, "paced", c.paced());
    field(out, 8, "toleranceMillis", c.toleranceNanos() / 1e6);
    field(out, 8, "maxBehindRealTimeMillis", c.maxBehindNanos() / 1e6);
    out.append("        \"lagPerInstance\": [");
    for (int i = 0; i < c.lags().size(); i++) {
      PropagationLag lag = c.lags().get(i);
      out.append(i == 0 ? "" : ", ")
          .append("{\"count\": ")
          .append(lag.count())
          .append(", \"p50Micros\": ")
          .append(lag.p50Micros())
          .append(", \"p99Micros\": ")
          .append(lag.p99Micros())
          .append(", \"maxMicros\": ")
          .append(lag.maxMicros())
          .append('}');
    }
    out.append("]\n");
    return out.append("      }").toString();
  }

  /** Appends {@code "name": value,} and a line break; a {@code null} value is JSON's null. */
  private static void field(StringBuilder out, int indent, String name, Object value) {
    out.append(" ".repeat(indent)).append(string(name)).append(": ");
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      out.append(string(text));
    } else if (value instanceof Double x) {
      out.append(number(x));
    } else {
      out.append(value);
    }
    out.append(",\n");
  }

  /** A JSON number; {@code null} for the values JSON cannot hold. */
  static String number(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return "null";
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return String.format(Locale.ROOT, "%.6g", x).replaceFirst("\\.?0+(e|$)", "$1");
  }

  /** A JSON string literal. */
  static String string(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20) {
            s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
