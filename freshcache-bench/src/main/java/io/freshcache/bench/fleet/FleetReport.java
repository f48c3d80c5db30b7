package io.freshcache.bench.fleet;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one run of the harness found, per fault, and how to run it again. */
public final class FleetReport {

  private final FleetOptions options;
  private final String runId;
  private final Path dir;
  private final Map<String, StalenessChecker.Row> rows;
  private final List<String> clock;
  private final List<String> done;
  private final List<String> notes;
  private final double seconds;

  FleetReport(
      FleetOptions options,
      String runId,
      Path dir,
      Map<String, StalenessChecker.Row> rows,
      List<String> clock,
      List<String> done,
      List<String> notes,
      double seconds) {
    this.options = options;
    this.runId = runId;
    this.dir = dir;
    this.rows = rows;
    this.clock = clock;
    this.done = done;
    this.notes = notes;
    this.seconds = seconds;
  }

  /** Reads stale beyond the bound, over the whole run. */
  public long staleBeyond() {
    return rows.get("all").staleBeyond;
  }

  /** Reads judged, over the whole run. */
  public long reads() {
    return rows.get("all").reads;
  }

  /** Reads and write calls that failed, over the whole run. */
  public long errors() {
    return rows.get("all").errors;
  }

  /** The command that runs this run again (same seed, same schedule). */
  public String command() {
    StringBuilder b = new StringBuilder("freshcache-bench/fleet.sh");
    b.append(" --library ").append(options.library());
    b.append(" --seed ").append(options.seed());
    b.append(" --instances ").append(options.instances());
    b.append(" --rounds ").append(options.rounds());
    b.append(" --gap-ms ").append(options.gapMillis());
    if (options.faults().size() != Fault.values().length) {
      b.append(" --faults ");
      b.append(String.join(",", options.faults().stream().map(Fault::label).toList()));
    }
    return b.toString();
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%nfleet run %s: %s, %d instances (1 writer, %d readers x %d threads), %d keys,"
                + " δ = %d ms, seed %d, %d round(s), %.0f s%n",
            runId,
            options.library(),
            options.instances(),
            options.instances() - 1,
            options.readerThreads(),
            options.keys(),
            options.deltaMillis(),
            options.seed(),
            options.rounds(),
            seconds));
    b.append("history: ").append(dir).append('\n');
    clock.forEach(c -> b.append("clock: ").append(c).append('\n'));
    done.forEach(d -> b.append(d).append('\n'));
    notes.forEach(n -> b.append("fault: ").append(n).append('\n'));
    b.append('\n');
    b.append(
        "| fault | library | reads | stale beyond the bound | worst staleness (ms) | worst past"
            + " the bound (ms) | lost (instance, key, version) | unbounded | errors | source loads/s |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (StalenessChecker.Row r : rows.values()) {
      double windowSeconds = r.label.equals("all") ? seconds : 0;
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %,d | %.1f | %s | %d | %,d | %,d | %s |%n",
              r.label,
              options.library(),
              r.reads,
              r.staleBeyond,
              r.worstStalenessMillis(),
              r.worstPastBoundNanos == Long.MIN_VALUE
                  ? "—"
                  : String.format(Locale.ROOT, "%.1f", r.worstPastBoundNanos / 1e6),
              r.lost.size(),
              r.unbounded,
              r.errors,
              windowSeconds > 0
                  ? String.format(Locale.ROOT, "%.0f", r.loads / windowSeconds)
                  : String.format(Locale.ROOT, "%,d loads", r.loads)));
    }
    for (StalenessChecker.Row r : rows.values()) {
      if (!r.label.equals("all")) {
        r.examples.forEach(
            e -> b.append("stale (").append(r.label).append("): ").append(e).append('\n'));
      }
    }
    b.append("reproduce: ").append(command()).append('\n');
    return b.toString();
  }
}
