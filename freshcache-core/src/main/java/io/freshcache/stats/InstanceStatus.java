package io.freshcache.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one instance of a group says of itself on the bus every status interval ({@code
 * CacheGroupBuilder.statusInterval}): who it is, whether it trusts its local entries now, what it
 * lost and owes, how fast invalidations reach it, how its caches hit and what their freshness
 * verifiers found. {@code freshcache stats} reads these to show the fleet at a glance; the wire
 * form is {@link io.freshcache.event.StatusMessages}. Counters run from the instance's start.
 *
 * @param instanceId the instance's id on the bus
 * @param namespace the group
 * @param host the host name the instance runs on, as it knows it
 * @param pid the operating-system process id
 * @param startedAt when the group was built (wall clock)
 * @param sentAt when this status was sent (wall clock)
 * @param interval how often the instance sends one: three missed in a row make it gone
 * @param closing whether the instance sent this while closing its group: its last word
 * @param live whether local hits are allowed now (the bus vouches for delivery)
 * @param losses times the bus reported messages lost (each cleared every cache here)
 * @param suspensions times local hits were suspended for want of the bus's word
 * @param outboxDepth invalidations made here that still wait for the bus or the shared tier
 * @param publishFailures publishes the bus could not take (each kept and sent again)
 * @param lag publish-to-applied lag of events from other instances
 * @param caches caches open in the group
 * @param hits local and shared hits of every cache of the group
 * @param misses misses of every cache of the group
 * @param verified hits the caches' freshness verifiers checked against the source
 * @param verifiedStale of those, hits that were stale
 */
public record InstanceStatus(
    String instanceId,
    String namespace,
    String host,
    long pid,
    Instant startedAt,
    Instant sentAt,
    Duration interval,
    boolean closing,
    boolean live,
    long losses,
    long suspensions,
    int outboxDepth,
    long publishFailures,
    PropagationLag lag,
    int caches,
    long hits,
    long misses,
    long verified,
    long verifiedStale) {

  public InstanceStatus {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(lag, "lag");
  }

  /** Hits over requests since the start; 0 before the first request. */
  public double hitRatio() {
    long requests = hits + misses;
    return requests == 0 ? 0 : (double) hits / requests;
  }

  /**
   * The verifiers' findings as one {@link VerifierStats} (only the checked and stale counts are
   * known), for its rate, confidence interval and nines.
   */
  public VerifierStats verification() {
    return new VerifierStats(
        verified,
        0,
        verified,
        verifiedStale,
        0,
        0,
        0,
        Duration.ZERO,
        java.util.List.of(),
        java.util.List.of());
  }
}
