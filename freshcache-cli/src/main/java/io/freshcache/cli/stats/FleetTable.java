package io.freshcache.cli.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshcache.cli.Text;
import io.freshcache.stats.InstanceStatus;
import io.freshcache.stats.PropagationLag;
import io.freshcache.stats.VerifierStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@code freshcache stats} prints a {@link Fleet}: aligned columns, or one JSON object. */
final class FleetTable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String[] HEADINGS = {
    "INSTANCE",
    "HOST",
    "PID",
    "STATE",
    "HEARD",
    "UPTIME",
    "LOSSES",
    "SUSPENDED",
    "OUTBOX",
    "LAG p50/p99",
    "HIT RATIO",
    "VERIFIED"
  };

  private FleetTable() {}

  /** The header line: the group, where, how many instances in which state, the window. */
  static String header(
      String namespace, String where, Fleet fleet, StatusLog log, Duration window) {
    StringBuilder line =
        new StringBuilder()
            .append("group ")
            .append(namespace)
            .append(" on ")
            .append(where)
            .append(": ")
            .append(plural(fleet.instances().size(), "instance"));
    List<String> states = new ArrayList<>();
    for (Fleet.State state : Fleet.State.values()) {
      long n = fleet.count(state);
      if (n > 0) {
        states.add(n + " " + state.label);
      }
    }
    if (!states.isEmpty()) {
      line.append(" (").append(String.join(", ", states)).append(")");
    }
    line.append(", statuses of the last ").append(age(window.toMillis()));
    if (!log.coversWindow()) {
      line.append(" (the log reaches back ")
          .append(age(fleet.nowMillis() - log.reachesBackMillis()))
          .append(")");
    }
    return line.toString();
  }

  /** One line per instance under a line of headings, columns aligned. */
  static List<String> rows(Fleet fleet) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADINGS);
    for (Fleet.Member m : fleet.instances()) {
      InstanceStatus s = m.newest();
      boolean reporting = m.state() == Fleet.State.UP || m.state() == Fleet.State.SUSPENDED;
      cells.add(
          new String[] {
            Text.printable(s.instanceId()),
            Text.printable(s.host()),
            Long.toString(s.pid()),
            m.state().label,
            age(m.silentFor().toMillis()) + " ago",
            // both on the instance's own clock, so its skew cancels out
            reporting ? age(s.sentAt().toEpochMilli() - s.startedAt().toEpochMilli()) : "-",
            count(s.losses()),
            count(s.suspensions()),
            count(s.outboxDepth()),
            lag(s.lag()),
            m.requests() == 0 ? "-" : percent(m.hitRatio()) + " of " + count(m.requests()),
            verified(s.verification())
          });
    }
    int[] widths = new int[HEADINGS.length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** The fleet as one JSON object. */
  static String json(String namespace, String where, Fleet fleet, StatusLog log, Duration window) {
    ObjectNode root = JSON.createObjectNode();
    root.put("namespace", namespace);
    root.put("redis", where);
    root.put("at", Instant.ofEpochMilli(fleet.nowMillis()).toString());
    root.put("window_ms", window.toMillis());
    root.put("log_reaches_back_ms", fleet.nowMillis() - log.reachesBackMillis());
    ObjectNode counts = root.putObject("counts");
    for (Fleet.State state : Fleet.State.values()) {
      counts.put(state.label, fleet.count(state));
    }
    ArrayNode instances = root.putArray("instances");
    for (Fleet.Member m : fleet.instances()) {
      InstanceStatus s = m.newest();
      ObjectNode o = instances.addObject();
      o.put("instance", s.instanceId());
      o.put("host", s.host());
      o.put("pid", s.pid());
      o.put("state", m.state().label);
      o.put("heard_ms_ago", m.silentFor().toMillis());
      o.put("interval_ms", s.interval().toMillis());
      o.put("started", s.startedAt().toString());
      o.put("live", s.live());
      o.put("losses", s.losses());
      o.put("suspensions", s.suspensions());
      o.put("outbox", s.outboxDepth());
      o.put("publish_failures", s.publishFailures());
      ObjectNode lag = o.putObject("lag");
      lag.put("count", s.lag().count());
      lag.put("p50_us", s.lag().p50Micros());
      lag.put("p99_us", s.lag().p99Micros());
      lag.put("max_us", s.lag().maxMicros());
      o.put("caches", s.caches());
      o.put("hits", s.hits());
      o.put("misses", s.misses());
      o.put("hit_ratio", m.hitRatio());
      o.put("hit_ratio_over", m.windowHits() < 0 ? "since start" : "window");
      VerifierStats v = s.verification();
      ObjectNode verifier = o.putObject("verifier");
      verifier.put("checked", v.checked());
      verifier.put("stale", v.stale());
      verifier.put("stale_rate", v.staleRate());
      verifier.put("stale_rate_low", v.staleRateLow());
      verifier.put("stale_rate_high", v.staleRateHigh());
      verifier.put("nines", v.nines());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String verified(VerifierStats v) {
    if (v.checked() == 0) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%.1f nines (%s stale of %s)",
        v.nines(),
        count(v.stale()),
        count(v.checked()));
  }

  private static String lag(PropagationLag lag) {
    if (lag.count() == 0) {
      return "-";
    }
    return millis(lag.p50Micros()) + "/" + millis(lag.p99Micros()) + " ms";
  }

  private static String millis(long micros) {
    return micros < 10_000
        ? String.format(Locale.ROOT, "%.1f", micros / 1e3)
        : String.format(Locale.ROOT, "%,.0f", micros / 1e3);
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /** A span for people: "850ms", "4.2s", "3m05s", "2h10m", "3d4h". */
  static String age(long millis) {
    if (millis < 1_000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1e3);
    }
    long s = millis / 1_000;
    if (s < 3_600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3_600, (s % 3_600) / 60);
    }
    return String.format(Locale.ROOT, "%dd%dh", s / 86_400, (s % 86_400) / 3_600);
  }
}
