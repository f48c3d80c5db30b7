package io.freshcache;

import io.freshcache.event.EventCodec;
import io.freshcache.event.EventKeys;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.event.StatusMessages;
import io.freshcache.spi.InvalidationBus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance does with what the bus delivers: decode strictly, drop its own events and
 * other namespaces', check signatures and versions ({@link EventTrust}), apply, run handlers; clear
 * everything on a loss; and keep the trust deadline the bus vouches for, which every local hit
 * checks. Counts all of it.
 */
final class BusProtocol implements InvalidationBus.Receiver {

  private static final Logger log = LoggerFactory.getLogger(CacheGroup.class);
  private static final int MAX_LOGGED_REASONS = 1_000;
  private static final long FORGED_LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final String group;
  private final String instanceId;
  private final EventKeys eventKeys;
  private final EventTrust trust;
  private final Dispatch dispatch;
  private final Outbound outbound;
  private final Handlers handlers;
  private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();
  final LongAdder received = new LongAdder();
  final LongAdder applied = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder foreign = new LongAdder();
  final LongAdder losses = new LongAdder();
  final LongAdder suspensions = new LongAdder();
  final LongAdder forged = new LongAdder();
  final LongAdder downgraded = new LongAdder();
  final LagHistogram lag = new LagHistogram();

  /** When (System.nanoTime) a forged event was last logged, to log once per burst. */
  private volatile long forgedLoggedAt;

  private long forgedAtLastLog;

  /**
   * Until when (System.nanoTime) local entries may be served, as the bus last vouched; MAX_VALUE
   * for a bus that never loses anything. Checked on every hit, so a stalled bus cannot make this
   * instance serve past it, however late any thread of ours runs.
   */
  private volatile long trustedUntil = Long.MAX_VALUE;

  private volatile boolean suspended;

  BusProtocol(CacheGroupBuilder b, Dispatch dispatch, Outbound outbound, Handlers handlers) {
    this.group = b.name;
    this.instanceId = b.instanceId;
    this.eventKeys = b.eventKeys;
    this.trust = new EventTrust(b.eventKeys, b.maxVersionStep);
    this.dispatch = dispatch;
    this.outbound = outbound;
    this.handlers = handlers;
  }

  // ---------------------------------------------------------------- trust

  /**
   * Whether local entries may be served now. The first read that finds trust expired counts a
   * suspension and says so in the log.
   */
  boolean trusted() {
    return isTrusted() || suspend();
  }

  /**
   * As {@link #trusted()}, judged at {@code systemNanos}, a {@code System.nanoTime()} the caller
   * already read: a hit reads the clock once.
   */
  boolean trustedAt(long systemNanos) {
    long until = trustedUntil;
    return until == Long.MAX_VALUE || systemNanos - until < 0 || suspend();
  }

  /** Counts and logs the first read that found trust expired; false. */
  private boolean suspend() {
    if (!suspended) {
      suspended = true;
      suspensions.increment();
      log.warn(
          "group '{}': the bus has not confirmed delivery within its staleness bound; local hits"
              + " are suspended until it catches up",
          group);
    }
    return false;
  }

  /** Whether local entries may be served now, without counting anything. */
  boolean isTrusted() {
    long until = trustedUntil;
    return until == Long.MAX_VALUE || System.nanoTime() - until < 0;
  }

  @Override
  public void trustUntil(long deadline) {
    trustedUntil = deadline;
    if (suspended && System.nanoTime() - deadline < 0) {
      suspended = false;
      log.info("group '{}': the bus caught up; local hits resumed", group);
    }
  }

  // ---------------------------------------------------------------- delivery

  @Override
  public void onLoss(String reason) {
    log.warn(
        "group '{}': the bus may have lost invalidations ({}); clearing this instance's caches",
        group,
        reason);
    // A lost event from a channel-only publisher never reached the shared tier either: what it
    // invalidated, in any cache of the namespace, may still be there. Forget the namespace's
    // shared entries first, then local ones.
    outbound.applyToTierOrQueue(new Invalidation.All(null), "clearing the tier after a loss");
    dispatch.clearLocal();
    losses.increment(); // counted once handled: a reader of the count sees the caches cleared
  }

  @Override
  public void onMessage(String message) {
    if (StatusMessages.isStatus(message)) {
      return; // an instance's report, for 'freshcache stats': it invalidates nothing
    }
    EventCodec.Envelope envelope;
    try {
      envelope = EventCodec.decode(message);
    } catch (EventCodec.MalformedEventException e) {
      malformed.increment();
      logOnce("group '" + group + "': ignored a malformed event on the bus: " + e.getMessage());
      return;
    }
    InvalidationEvent event = envelope.event();
    if (instanceId.equals(event.source())) {
      return; // applied here before it was sent
    }
    if (envelope.namespace() != null && !envelope.namespace().equals(group)) {
      foreign.increment();
      return;
    }
    EventTrust.Verdict verdict = trust.verdict(envelope.signature(), envelope.sigField());
    if (verdict == EventTrust.Verdict.FORGED) {
      refuseForged(event, envelope.signature());
      return;
    }
    received.increment();
    Invalidation allowed = trust.allowed(event.invalidation(), verdict, dispatch::knownVersion);
    boolean wasDowngraded = allowed != event.invalidation();
    if (wasDowngraded) {
      event =
          new InvalidationEvent(
              event.type(), event.timestamp(), allowed, event.data(), event.source());
    }
    if (event.source() == null) {
      // A publisher that knows only the plain JSON format did not touch the tier: every receiver
      // does, before its own caches (idempotent). Freshcache publishers did before publishing.
      outbound.applyToTierOrQueue(event.invalidation(), "applying an event of a plain publisher");
    }
    dispatch.apply(event.invalidation(), RemovalCause.INVALIDATED_BY_BUS);
    applied.increment();
    if (wasDowngraded) {
      downgraded.increment(); // counted once applied: a reader of the count sees the invalidation
    }
    if (event.source() != null && event.timestamp() > 0) {
      lag.record((long) ((Outbound.nowSeconds() - event.timestamp()) * 1e6));
    }
    handlers.run(event, implied -> outbound.applyImplied(implied, RemovalCause.INVALIDATED_BY_BUS));
  }

  /**
   * Runs the codec and the signature check once, on an event of our own, before the bus delivers
   * anything. A cold JVM spends hundreds of milliseconds loading and initialising them (Jackson,
   * the MAC); on the bus's delivery thread that stalled the heartbeats queued behind the first
   * event, and the instance suspended for no fault (seen with separate processes on two cores).
   */
  void warmUp() {
    InvalidationEvent sample =
        new InvalidationEvent(
            CacheGroup.INVALIDATE_EVENT, 0, Invalidation.keys("warm-up"), Map.of(), instanceId);
    for (String message : EventCodec.encodeFitting(sample, group, eventKeys)) {
      EventKeys.Signed signature;
      try {
        signature = EventCodec.decode(message).signature();
      } catch (EventCodec.MalformedEventException e) {
        throw new IllegalStateException("freshcache cannot read its own events: " + e, e);
      }
      if (signature != null && eventKeys != null) {
        eventKeys.verify(signature);
      }
    }
  }

  /** Counts a forged event, and logs the first of a burst (at most one line a minute). */
  private void refuseForged(InvalidationEvent event, EventKeys.Signed signature) {
    forged.increment();
    long now = System.nanoTime();
    long last = forgedLoggedAt;
    if (last != 0 && now - last < FORGED_LOG_INTERVAL_NANOS) {
      return;
    }
    synchronized (forged) {
      if (forgedLoggedAt != last) {
        return; // another thread logged this burst
      }
      forgedLoggedAt = now;
      long total = forged.sum();
      long since = total - forgedAtLastLog;
      forgedAtLastLog = total;
      log.warn(
          "group '{}': refused {} event(s) with a signature that does not verify (last: a {} event,"
              + " {}); they changed nothing. Someone who may publish on the bus is sending them,"
              + " or an instance has other EventKeys",
          group,
          since,
          event.type(),
          signature == null
              ? "a sig field not in the signing recipe's shape"
              : "signed with key id \"" + signature.keyId() + "\"");
    }
  }

  private void logOnce(String reason) {
    if (loggedReasons.size() < MAX_LOGGED_REASONS && loggedReasons.add(reason)) {
      log.warn(reason);
    }
  }
}
