package io.freshcache.cli.simulate;

import java.util.List;
import java.util.StringJoiner;

/**
 * Renders a domain run for programs: one JSON object with the workload, one entry per scenario (its
 * totals and one entry per entity), and the recommendation per entity. Durations carry their unit
 * in the field name; a ratio with nothing to divide is {@code null}.
 */
final class DomainJson {

  private DomainJson() {}

  static String render(
      DomainRunInfo info, List<ScenarioResult> results, List<Recommendation> recs) {
    DomainWorkload w = info.workload();
    Domain d = w.domain();
    StringBuilder out = new StringBuilder("{\n");
    out.append("  \"workload\": {")
        .append(
            fields(
                "name",
                "domain",
                "users",
                d.users(),
                "regions",
                d.regions(),
                "products",
                d.products(),
                "categories",
                d.categories(),
                "warehouses",
                d.warehouses(),
                "reports",
                d.reports(),
                "durationSeconds",
                w.durationNanos() / 1e9,
                "readsPerSecond",
                w.readsPerSecond(),
                "skew",
                w.skew(),
                "seed",
                w.seed(),
                "instances",
                w.instances(),
                "sourceLatencyMillis",
                w.sourceLatency().toNanos() / 1e6,
                "toleranceMillis",
                w.toleranceNanos() / 1e6,
                "paced",
                w.paced(),
                "trace",
                info.trace(),
                "database",
                info.database(),
                "redis",
                info.redis(),
                "command",
                info.command(),
                "stale",
                info.staleMeaning()))
        .append("},\n");
    out.append("  \"scenarios\": [");
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult r = results.get(i);
      out.append(i == 0 ? "\n" : ",\n").append("    {");
      out.append(
          fields(
              "name",
              r.scenario().name(),
              "description",
              r.scenario().description(),
              "reads",
              r.reads(),
              "hitRatio",
              r.hitRatio(),
              "sourceReadsPerSecond",
              r.sourceReadsPerSecond(),
              "sourceWritesPerSecond",
              r.sourceWritesPerSecond(),
              "p50Micros",
              r.latencyNanos()[0] / 1e3,
              "p99Micros",
              r.latencyNanos()[1] / 1e3,
              "p999Micros",
              r.latencyNanos()[2] / 1e3,
              "staleReads",
              r.staleReads(),
              "worstStalenessMillis",
              r.worstStalenessNanos() / 1e6,
              "messagesSent",
              r.messagesSent(),
              "messagesApplied",
              r.messagesApplied(),
              "lagP99Micros",
              r.lagCount() == 0 ? null : r.lagP99Micros(),
              "lagsMeasured",
              r.lagCount(),
              "hotKeyLoads",
              r.hotKeyLoads(),
              "entries",
              r.entries(),
              "estimatedBytes",
              r.bytes(),
              "skippedWrites",
              r.skippedWrites(),
              "realSeconds",
              r.realNanos() / 1e9,
              "virtualSeconds",
              r.virtualNanos() / 1e9,
              "maxBehindRealTimeMillis",
              r.maxBehindNanos() / 1e6));
      out.append(", \"staleBySecond\": ").append(array(r.staleBySecond()));
      out.append(",\n      \"entities\": [");
      for (int j = 0; j < r.entities().size(); j++) {
        EntityResult e = r.entities().get(j);
        out.append(j == 0 ? "\n" : ",\n").append("        {");
        out.append(
            fields(
                "entity",
                e.entity().label(),
                "strategy",
                e.strategy().label(),
                "reads",
                e.reads(),
                "hits",
                e.hits(),
                "hitRatio",
                e.hitRatio(),
                "sourceReadsPerSecond",
                e.sourceReadsPerSecond(),
                "sourceWritesPerSecond",
                e.sourceWritesPerSecond(),
                "p50Micros",
                e.p50Nanos() / 1e3,
                "p99Micros",
                e.p99Nanos() / 1e3,
                "p999Micros",
                e.p999Nanos() / 1e3,
                "staleReads",
                e.staleReads(),
                "staleHits",
                e.staleHits(),
                "verifierChecked",
                e.verifierChecked(),
                "verifierStale",
                e.verifierStale(),
                "verifierStaleRate",
                e.verification().staleRate(),
                "verifierStaleRateLow",
                e.verification().staleRateLow(),
                "verifierStaleRateHigh",
                e.verification().staleRateHigh(),
                "worstStalenessMillis",
                e.worstStalenessNanos() / 1e6,
                "hotKeyLoads",
                e.hotKeyLoads(),
                "entries",
                e.entries(),
                "estimatedBytes",
                e.bytes()));
        out.append('}');
      }
      out.append("\n      ]}");
    }
    out.append(results.isEmpty() ? "],\n" : "\n  ],\n");
    out.append("  \"recommendations\": [");
    for (int i = 0; i < recs.size(); i++) {
      Recommendation rec = recs.get(i);
      StringJoiner frontier = new StringJoiner(", ", "[", "]");
      for (Recommendation.Point p : rec.frontier()) {
        frontier.add(
            "{"
                + fields(
                    "strategy",
                    p.strategy().label(),
                    "scenario",
                    p.scenario(),
                    "sourceReadsPerSecond",
                    p.sourceReadsPerSecond(),
                    "staleReads",
                    p.staleReads())
                + "}");
      }
      out.append(i == 0 ? "\n" : ",\n")
          .append("    {")
          .append(
              fields(
                  "entity",
                  rec.entity().label(),
                  "strategy",
                  rec.pick().strategy().label(),
                  "scenario",
                  rec.pick().scenario(),
                  "why",
                  rec.why()))
          .append(", \"frontier\": ")
          .append(frontier)
          .append('}');
    }
    out.append(recs.isEmpty() ? "]\n" : "\n  ]\n");
    return out.append("}\n").toString();
  }

  private static String array(long[] values) {
    StringJoiner s = new StringJoiner(", ", "[", "]");
    for (long v : values) {
      s.add(Long.toString(v));
    }
    return s.toString();
  }

  /** {@code "name": value} pairs, comma-separated. */
  private static String fields(Object... pairs) {
    StringJoiner s = new StringJoiner(", ");
    for (int i = 0; i < pairs.length; i += 2) {
      Object v = pairs[i + 1];
      String value;
      if (v == null) {
        value = "null";
      } else if (v instanceof String text) {
        value = JsonReport.string(text);
      } else if (v instanceof Double x) {
        value = JsonReport.number(x);
      } else {
        value = v.toString();
      }
      s.add(JsonReport.string((String) pairs[i]) + ": " + value);
    }
    return s.toString();
  }
}
