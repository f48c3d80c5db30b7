package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.event.EventKeys;
import io.freshcache.event.Names;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.stats.GroupStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Configures a {@link CacheGroup}. Each setting may be given once. Not thread-safe.
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop").bus(bus).build();
 * }</pre>
 */
public final class CacheGroupBuilder {

  /** The default of {@link #maxVersionStep}. */
  public static final long DEFAULT_MAX_VERSION_STEP = 1_000_000;

  final String name;
  InvalidationBus bus;
  private InvalidationBus.Opener busOpener;
  String instanceId;
  Ticker ticker = Ticker.systemTicker();
  Duration horizon = Duration.ofMinutes(10);
  int maxTags = InvalidationHistory.MAX_TAGS;
  SharedTier shared;
  private SharedTier.Opener sharedOpener;
  Duration leaseHold = Duration.ofSeconds(10);
  Duration sharedTimeout = Duration.ofSeconds(1);
  Duration sharedProbeInterval = Duration.ofSeconds(2);
  Duration statusInterval = Duration.ofSeconds(5);
  private boolean statusSet;
  Duration strict;
  int outboxCapacity = 10_000;
  Object meterRegistry;
  java.nio.file.Path outboxMarkers;
  EventKeys eventKeys;
  long maxVersionStep = DEFAULT_MAX_VERSION_STEP;
  private boolean maxVersionStepSet;
  private boolean probeSet;
  private boolean outboxSet;
  private boolean leaseHoldSet;
  private boolean sharedTimeoutSet;
  private boolean tickerSet;
  private boolean horizonSet;

  CacheGroupBuilder(String name) {
    this.name = Names.requireName(name, "group name");
  }

  /**
   * A bus that the group opens for its own name and owns: closing the group closes it. Pass the
   * bus's builder, e.g. {@code .bus(RedisBus.builder(uri))}: the namespace is the group's name,
   * given once. Default: none.
   */
  public CacheGroupBuilder bus(InvalidationBus.Opener opener) {
    requireNoBus();
    this.busOpener = Objects.requireNonNull(opener, "bus must not be null");
    return this;
  }

  /**
   * A bus built elsewhere that carries invalidations to the group's other instances, shared
   * deliberately: the group does not close it, and refuses one built for another namespace. Prefer
   * {@link #bus(InvalidationBus.Opener)}. Default: none.
   */
  public CacheGroupBuilder bus(InvalidationBus bus) {
    requireNoBus();
    Objects.requireNonNull(bus, "bus must not be null");
    requireSameNamespace(bus.namespace(), "bus");
    this.bus = bus;
    return this;
  }

  private void requireNoBus() {
    if (bus != null || busOpener != null) {
      throw new IllegalStateException("bus was already set to " + (bus != null ? bus : busOpener));
    }
  }

  private void requireSameNamespace(String carried, String what) {
    if (carried != null && !carried.equals(name)) {
      throw new IllegalArgumentException(
          "group '"
              + name
              + "': the "
              + what
              + " was built for namespace '"
              + carried
              + "', but a group and its "
              + what
              + " must agree; hand the group the "
              + what
              + "'s builder instead (it opens one for the group's name), or build it for '"
              + name
              + "'");
    }
  }

  /**
   * The shared tier every cache of the group reads through on a local miss and keeps in step on
   * writes and invalidations, opened by the group for its own name and owned by it: closing the
   * group closes it. Pass the tier's builder, e.g. {@code .shared(RedisSharedTier.builder(uri))}.
   * Default: none (in-process only).
   */
  public CacheGroupBuilder shared(SharedTier.Opener opener) {
    requireNoShared();
    this.sharedOpener = Objects.requireNonNull(opener, "shared tier must not be null");
    return this;
  }

  /**
   * A shared tier built elsewhere, shared deliberately: the group does not close it, and refuses
   * one built for another namespace. Prefer {@link #shared(SharedTier.Opener)}. Default: none.
   */
  public CacheGroupBuilder shared(SharedTier tier) {
    requireNoShared();
    Objects.requireNonNull(tier, "shared tier must not be null");
    requireSameNamespace(tier.namespace(), "shared tier");
    this.shared = tier;
    return this;
  }

  private void requireNoShared() {
    if (shared != null || sharedOpener != null) {
      throw new IllegalStateException(
          "shared was already set to " + (shared != null ? shared : sharedOpener));
    }
  }

  /**
   * How long a miss's lease on a shared key lasts, which is also the longest another instance waits
   * for that load before loading the key itself. Default: 10 seconds.
   */
  public CacheGroupBuilder sharedLeaseHold(Duration holdFor) {
    if (leaseHoldSet) {
      throw new IllegalStateException("sharedLeaseHold was already set to " + leaseHold);
    }
    Durations.requirePositive(holdFor, "sharedLeaseHold");
    if (holdFor.toMillis() < 1) {
      throw new IllegalArgumentException("sharedLeaseHold must be at least 1 ms, was " + holdFor);
    }
    this.leaseHold = holdFor;
    leaseHoldSet = true;
    return this;
  }

  /**
   * The longest a read, write or invalidation waits for one answer of the shared tier; a tier that
   * takes longer counts as failing (reads go to the source). Default: 1 second.
   */
  public CacheGroupBuilder sharedTimeout(Duration timeout) {
    if (sharedTimeoutSet) {
      throw new IllegalStateException("sharedTimeout was already set to " + sharedTimeout);
    }
    this.sharedTimeout = Durations.requirePositive(timeout, "sharedTimeout");
    sharedTimeoutSet = true;
    return this;
  }

  /**
   * How often a failing shared tier is tried again: while its circuit breaker is open, one call per
   * interval goes to it, and the others skip it (reads go to the source, tier changes to the
   * outbox). Default: 2 seconds.
   */
  public CacheGroupBuilder sharedProbeInterval(Duration interval) {
    if (probeSet) {
      throw new IllegalStateException(
          "sharedProbeInterval was already set to " + sharedProbeInterval);
    }
    this.sharedProbeInterval = Durations.requirePositive(interval, "sharedProbeInterval");
    probeSet = true;
    return this;
  }

  /**
   * How often this instance tells the fleet how it is (an {@link
   * io.freshcache.stats.InstanceStatus} on the bus: trusted or suspended, losses, outbox depth,
   * propagation lag, hit ratio, the verifiers' findings), which {@code freshcache stats} shows; an
   * instance silent for three intervals is shown as gone. Each status is one small event (about 500
   * bytes) that other instances skip unread. {@link Duration#ZERO} sends none. Only with a bus.
   * Default: 5 seconds.
   */
  public CacheGroupBuilder statusInterval(Duration interval) {
    if (statusSet) {
      throw new IllegalStateException("statusInterval was already set to " + statusInterval);
    }
    java.util.Objects.requireNonNull(interval, "statusInterval must not be null");
    if (!interval.isZero()) {
      Durations.requirePositive(interval, "statusInterval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException(
            "statusInterval must be at least 10ms (or Duration.ZERO for none), was " + interval);
      }
    }
    this.statusInterval = interval;
    statusSet = true;
    return this;
  }

  /**
   * Strict mode: a put, a write through the cache's write policy, or an invalidation returns only
   * once Redis holds the invalidation for every other instance (the bus's event and the shared
   * tier's change), so a crash of this process right after the call returns loses nothing. If Redis
   * does not confirm within {@code timeout}, the call throws {@link
   * UnconfirmedInvalidationException} saying what was done; while Redis is known to be out of reach
   * it throws before changing anything, here or in the source.
   *
   * <p>Default (not strict): calls return once applied here; what could not reach Redis waits in
   * the outbox, in order, and is sent when Redis answers. A crash loses what waits there.
   */
  public CacheGroupBuilder strict(Duration timeout) {
    if (strict != null) {
      throw new IllegalStateException("strict was already set to " + strict);
    }
    this.strict = Durations.requirePositive(timeout, "strict timeout");
    return this;
  }

  /**
   * How many invalidations may wait for Redis in the outbox; past that they are replaced by one
   * invalidation of every cache of the group, which every instance applies once Redis answers.
   * Default: 10,000.
   */
  public CacheGroupBuilder outboxCapacity(int capacity) {
    if (outboxSet) {
      throw new IllegalStateException("outboxCapacity was already set to " + outboxCapacity);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("outboxCapacity must be at least 1, was " + capacity);
    }
    this.outboxCapacity = capacity;
    outboxSet = true;
    return this;
  }

  /**
   * Publishes the group's figures as Micrometer meters tagged {@code group}: {@code
   * freshcache.group.events} (by result), {@code .losses}, {@code .suspensions}, {@code .trusted},
   * {@code .lag.percentile} (phi 0.5 and 0.99, seconds), {@code .outbox.depth}, {@code
   * .outbox.overflows}, {@code .outbox.delivered}, {@code .publish.failures}, {@code .shared.calls}
   * (by result) and {@code .shared.breaker.open}. Default: none.
   */
  public CacheGroupBuilder metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    if (meterRegistry != null) {
      throw new IllegalStateException("metrics was already set to " + meterRegistry);
    }
    this.meterRegistry = Objects.requireNonNull(registry, "registry must not be null");
    return this;
  }

  /**
   * A directory where the group keeps, from its start to its close, a locked file that says whether
   * this process has invalidations Redis has not confirmed: in flight (sent, no answer yet) or
   * waiting in the outbox. A group that starts and finds the marker of a process that is gone (it
   * crashed, or was killed, owing some) has every instance clear the group's caches, and the shared
   * tier forget them, once Redis answers: what that process lost costs misses, not stale reads
   * until TTL. The mark is a store into the file's mapped page (no system call per write); it
   * survives the process's death, not necessarily a crash of the host. Give every instance of a
   * host the same directory and its own {@code instanceId}, on storage that outlives the process
   * (not a container's scratch space if the container is replaced). Default: none — a crash loses
   * what was unconfirmed.
   */
  public CacheGroupBuilder outboxMarkers(java.nio.file.Path directory) {
    if (outboxMarkers != null) {
      throw new IllegalStateException("outboxMarkers was already set to " + outboxMarkers);
    }
    this.outboxMarkers = Objects.requireNonNull(directory, "directory must not be null");
    return this;
  }

  /**
   * The keys this group signs every event it sends with, and accepts signed events under.
   *
   * <p>Only a signed event may write: an {@code update}'s values, and the version of an update or a
   * key invalidation. Any other event arriving on the bus still invalidates (plain publishers need
   * no secret), but an update only invalidates its keys and a version is dropped; such events are
   * counted as {@link GroupStats#downgraded}. An event whose signature does not verify is counted
   * as {@link GroupStats#forged} and changes nothing.
   *
   * <p>Default: none, and then every event from the bus counts as unsigned: values and versions
   * never travel between instances (each instance loads from the source instead). To carry values
   * and versions between instances, give every instance the same EventKeys. Any bus, the in-process
   * one included, is treated the same way.
   */
  public CacheGroupBuilder eventKeys(EventKeys keys) {
    if (eventKeys != null) {
      throw new IllegalStateException("eventKeys was already set to " + eventKeys);
    }
    this.eventKeys = Objects.requireNonNull(keys, "eventKeys must not be null");
    return this;
  }

  /**
   * How far above the highest version this instance knows for a key (its entry's, or the newest it
   * was invalidated at) a signed event may move it. An event going further is applied as a plain
   * invalidation of its keys, without value or version, and counted as {@link
   * GroupStats#downgraded}; a key this instance knows nothing of accepts any version.
   *
   * <p>Why: a version received is remembered as the key's horizon, and puts below it are refused
   * for the invalidation horizon. A leaked key or a buggy publisher sending version 10^15 must not
   * lock a key out of the application's own writes. Default: {@value #DEFAULT_MAX_VERSION_STEP}.
   */
  public CacheGroupBuilder maxVersionStep(long step) {
    if (maxVersionStepSet) {
      throw new IllegalStateException("maxVersionStep was already set to " + maxVersionStep);
    }
    if (step < 1) {
      throw new IllegalArgumentException("maxVersionStep must be at least 1, was " + step);
    }
    this.maxVersionStep = step;
    maxVersionStepSet = true;
    return this;
  }

  /** This instance's id on the bus. Default: a random one. */
  public CacheGroupBuilder instanceId(String instanceId) {
    if (this.instanceId != null) {
      throw new IllegalStateException("instanceId was already set to " + this.instanceId);
    }
    Objects.requireNonNull(instanceId, "instanceId must not be null");
    if (instanceId.isBlank() || instanceId.length() > 128) {
      throw new IllegalArgumentException("instanceId must be 1 to 128 non-blank characters");
    }
    this.instanceId = instanceId;
    return this;
  }

  /** The clock of the group's invalidation history. Default: {@link Ticker#systemTicker()}. */
  public CacheGroupBuilder ticker(Ticker ticker) {
    if (tickerSet) {
      throw new IllegalStateException("ticker was already set to " + this.ticker);
    }
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    tickerSet = true;
    return this;
  }

  /**
   * How long key invalidations are remembered to judge loads that were running meanwhile; a load
   * that takes longer and needs that judgement is returned to its callers but not stored. Default:
   * 10 minutes.
   */
  public CacheGroupBuilder invalidationHorizon(Duration horizon) {
    if (horizonSet) {
      throw new IllegalStateException("invalidationHorizon was already set to " + this.horizon);
    }
    this.horizon = Durations.requirePositive(horizon, "invalidationHorizon");
    horizonSet = true;
    return this;
  }

  /** For tests: how many tag stamps the history keeps before it drops the oldest half. */
  CacheGroupBuilder maxTags(int maxTags) {
    this.maxTags = maxTags;
    return this;
  }

  /** Builds the group and, if it has a bus, subscribes it. */
  public CacheGroup build() {
    if ((leaseHoldSet || sharedTimeoutSet || probeSet) && shared == null && sharedOpener == null) {
      throw new IllegalStateException(
          "group '"
              + name
              + "': sharedLeaseHold, sharedTimeout and sharedProbeInterval configure a shared"
              + " tier, but none is set; add .shared(tier) or drop them");
    }
    if (strict != null
        && bus == null
        && busOpener == null
        && shared == null
        && sharedOpener == null) {
      throw new IllegalStateException(
          "group '"
              + name
              + "': strict mode waits for Redis to confirm invalidations, but the group has no bus"
              + " and no shared tier; add .bus(...) or drop .strict(...)");
    }
    if (instanceId == null) {
      instanceId = UUID.randomUUID().toString().substring(0, 8);
    }
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      if (busOpener != null) {
        bus = opened(busOpener.open(name), "bus", owned);
        requireSameNamespace(bus.namespace(), "bus");
      }
      if (sharedOpener != null) {
        shared = opened(sharedOpener.open(name), "shared tier", owned);
        requireSameNamespace(shared.namespace(), "shared tier");
      }
      return new CacheGroup(this, owned);
    } catch (RuntimeException e) {
      // Nothing half-built stays open: what this build opened, it closes (newest first).
      for (int i = owned.size() - 1; i >= 0; i--) {
        try {
          owned.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (busOpener != null) {
        bus = null;
      }
      if (sharedOpener != null) {
        shared = null;
      }
      throw e;
    }
  }

  private static <T extends AutoCloseable> T opened(
      T opened, String what, List<AutoCloseable> owned) {
    Objects.requireNonNull(opened, () -> "the " + what + "'s opener returned null");
    owned.add(opened);
    return opened;
  }
}
