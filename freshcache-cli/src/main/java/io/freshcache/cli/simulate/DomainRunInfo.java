package io.freshcache.cli.simulate;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * What every report of a domain run says about how it ran, beside its figures: the workload, where
 * the operations came from, the database, the bus, and the command that reproduces it. Immutable.
 *
 * @param workload the workload
 * @param trace the recorded trace replayed, or {@code null} for operations drawn from the seed
 * @param database where the rows were: "embedded H2" or the JDBC URL (without a password)
 * @param redis where the bus and shared tier were ({@code host:port}), or {@code null} in process
 * @param command the command line that reproduces the run
 */
record DomainRunInfo(
    DomainWorkload workload, String trace, String database, String redis, String command) {

  /** The workload in a sentence or two. */
  String describe() {
    DomainWorkload w = workload;
    Domain d = w.domain();
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%s users in %s regions, %s products in %s categories, %s warehouses, %s reports; ",
            Format.count(d.users()),
            Format.count(d.regions()),
            Format.count(d.products()),
            Format.count(d.categories()),
            Format.count(d.warehouses()),
            Format.count(d.reports())));
    if (trace != null) {
      s.append("operations replayed from ").append(trace);
    } else {
      s.append(Format.duration(w.durationNanos()))
          .append(" of virtual time, ")
          .append(Format.count(w.readsPerSecond()))
          .append(" reads/s, Zipf skew ")
          .append(Format.stripped(w.skew()));
      StringJoiner bulks = new StringJoiner(", ", "; bulk events: ", "");
      bulks.setEmptyValue("");
      for (Bulk b : Bulk.values()) {
        if (!w.every(b).isZero()) {
          bulks.add(b.eventType() + " every " + Format.duration(w.every(b).toNanos()));
        }
      }
      s.append(bulks);
    }
    s.append("; ")
        .append(w.instances())
        .append(w.instances() == 1 ? " instance" : " instances")
        .append(
            redis == null
                ? " on one in-process bus"
                : " with bus and shared tier on Redis at " + redis)
        .append("; source ")
        .append(database)
        .append(", ")
        .append(Format.duration(w.sourceLatency().toNanos()))
        .append(" of virtual latency per query (a report ")
        .append(Format.duration(w.loadNanos(Entity.REPORT)))
        .append("); seed ")
        .append(w.seed());
    return s.toString();
  }

  /** What the stale column means in this mode, in a sentence or two. */
  String staleMeaning() {
    String tolerance = Format.duration(workload.toleranceNanos());
    String judged =
        workload.toleranceNanos() == 0
            ? "stale: a read that returned an older version than the source had committed when the"
                + " read began (tolerance 0)."
            : "stale: a read that returned an older version than the source had committed "
                + tolerance
                + " before the read began (tolerance "
                + tolerance
                + ").";
    if (redis == null) {
      return judged
          + " In process the bus delivers every event before publish returns, so what is"
          + " stale here is stale on any bus; time is virtual, and runs faster than real time.";
    }
    return judged
        + " Over Redis the replay is paced to real time (one virtual second takes one real"
        + " second), so an event's real propagation lag is also its lag in virtual time: a read is"
        + " stale only if the invalidation had not arrived within the tolerance, not because"
        + " virtual time outran the network.";
  }
}
