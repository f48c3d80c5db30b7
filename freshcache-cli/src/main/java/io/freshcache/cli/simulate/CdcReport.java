package io.freshcache.cli.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshcache.stats.PropagationLag;
import java.util.List;
import java.util.Locale;

/** Prints the change-capture scenario's results: a table for people, or one JSON object. */
final class CdcReport {

  private CdcReport() {}

  static String describe(CdcSimulation.Settings s, String database) {
    return String.format(
        Locale.ROOT,
        "Change-capture workload: every write goes straight to PostgreSQL with plain JDBC (no"
            + " application invalidation); %d instances read %s keys (Zipf %s), %s operations/s"
            + " for %s, %s%% of them writes, in real time; the same seeded operations (seed %d)"
            + " run with TTL only, then with change capture. Database: %s.",
        s.instances(),
        Format.count(s.keys()),
        Format.stripped(s.skew()),
        Format.rate(s.opsPerSecond()),
        Format.duration(s.duration().toNanos()),
        Format.stripped(s.writeRatio() * 100),
        s.seed(),
        database);
  }

  static String staleMeaning(CdcSimulation.Settings s) {
    return "A read is stale when it returns an older version than the database had committed when"
        + " the read began; stale beyond "
        + Format.duration(s.tolerance().toNanos())
        + " when that newer version had been committed more than "
        + Format.duration(s.tolerance().toNanos())
        + " before (--tolerance).";
  }

  static String table(
      CdcSimulation.Settings s, String database, List<CdcSimulation.Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(DomainTable.wrap(describe(s, database), 100)).append('\n');
    out.append(DomainTable.wrap(staleMeaning(s), 100)).append("\n\n");
    String beyond = "stale > " + Format.duration(s.tolerance().toNanos());
    String format = "%-9s  %-44s  %9s  %9s  %9s  %8s  %11s  %11s  %14s  %14s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "scenario",
            "what keeps caches fresh",
            "reads",
            "hit ratio",
            "src reads",
            "writes",
            "stale",
            "stale share",
            beyond,
            "share"));
    for (CdcSimulation.Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              r.scenario(),
              r.description(),
              Format.count(r.reads()),
              Format.percent(r.hitRatio()),
              Format.count(r.loads()),
              Format.count(r.writes()),
              Format.count(r.stale()),
              Format.percent(r.staleShare()),
              Format.count(r.staleBeyond()),
              Format.percent(r.staleBeyondShare())));
    }
    for (CdcSimulation.Result r : results) {
      if (r.lag() != null && r.lag().count() > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                "%ncommit -> applied lag (%s, instance 0): %s events, p50 %.1f ms, p99 %.1f ms,"
                    + " max %.1f ms%n",
                r.scenario(),
                Format.count(r.lag().count()),
                r.lag().p50Micros() / 1e3,
                r.lag().p99Micros() / 1e3,
                r.lag().maxMicros() / 1e3));
      }
    }
    return out.toString();
  }

  static String json(
      CdcSimulation.Settings s, String database, List<CdcSimulation.Result> results) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("workload", "cdc");
    root.put("database", database);
    root.put("instances", s.instances());
    root.put("keys", s.keys());
    root.put("skew", s.skew());
    root.put("ops_per_second", s.opsPerSecond());
    root.put("write_ratio", s.writeRatio());
    root.put("duration_ms", s.duration().toMillis());
    root.put("ttl_ms", s.ttl().toMillis());
    root.put("tolerance_ms", s.tolerance().toMillis());
    root.put("seed", s.seed());
    ArrayNode scenarios = root.putArray("scenarios");
    for (CdcSimulation.Result r : results) {
      ObjectNode n = scenarios.addObject();
      n.put("name", r.scenario());
      n.put("description", r.description());
      n.put("reads", r.reads());
      n.put("hits", r.hits());
      n.put("hit_ratio", r.hitRatio());
      n.put("source_reads", r.loads());
      n.put("writes", r.writes());
      n.put("stale_reads", r.stale());
      n.put("stale_share", r.staleShare());
      n.put("stale_beyond_tolerance", r.staleBeyond());
      n.put("stale_beyond_tolerance_share", r.staleBeyondShare());
      PropagationLag lag = r.lag();
      if (lag != null) {
        ObjectNode l = n.putObject("commit_to_applied_lag");
        l.put("events", lag.count());
        l.put("p50_us", lag.p50Micros());
        l.put("p99_us", lag.p99Micros());
        l.put("max_us", lag.maxMicros());
      }
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
