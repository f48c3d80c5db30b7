package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.event.EventCodec;
import io.freshcache.event.EventHandler;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.stats.GroupStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace of caches on one application instance, sharing one invalidation bus with the same
 * group on every other instance. Invalidations by key, tag, pattern, cascade or "all", and domain
 * events, apply to every cache of the group here first (so this instance never serves what it just
 * invalidated) and then travel the bus to every other instance.
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop").bus(bus).build();
 * FreshCache<Long, Product> products = shop.cache("products", Long.class, Product.class)
 *     .keyPrefix("product:").source(repository::find).build();
 * shop.invalidateTag("warehouse:1");
 * shop.invalidatePattern("product:7*");
 * shop.subscribe("product.*", event -> List.of(Invalidation.tags("catalog")));
 * }</pre>
 *
 * <p>With a shared tier ({@link CacheGroupBuilder#shared}), every invalidation reaches the tier
 * before it is published: this instance applies it there first, then here, then sends it. Receivers
 * apply an event to the tier only if it carries no {@code source}, the mark of a publisher that
 * knows only the plain JSON format; freshcache publishers (instances, {@code freshcache
 * invalidate}) always did it themselves. An invalidation that names no cache reaches every cache of
 * the namespace in the tier, including caches this instance does not hold.
 *
 * <p>Thread-safe. Bad input (a null or oversized key, a pattern that would match everything, a
 * malformed event on the bus) is refused with a clear error, or counted and logged for bus
 * messages, and changes nothing.
 */
public final class CacheGroup implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CacheGroup.class);

  /** The event type of invalidations made through the API rather than published as events. */
  public static final String INVALIDATE_EVENT = "freshcache.invalidate";

  /** How long close() gives the outbox to reach Redis. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final String name;
  private final String instanceId;
  private final InvalidationBus bus;
  private final InvalidationBus.Subscription subscription;
  private final SharedLink shared;
  private final DependencyGraph graph = new DependencyGraph();
  private final Handlers handlers;
  private final Dispatch dispatch;
  private final Outbound outbound;
  private final BusProtocol protocol;
  private final GroupContext context;
  private final AutoCloseable meters;

  /** This instance's status, sent on the bus every status interval (with a bus). */
  private final StatusReport status;

  /** What the group opened and owns (the bus, the tier), in the order opened. */
  private final List<AutoCloseable> owned;

  private final AtomicBoolean closed = new AtomicBoolean();

  CacheGroup(CacheGroupBuilder b, List<AutoCloseable> owned) {
    this.owned = List.copyOf(owned);
    this.name = b.name;
    this.instanceId = b.instanceId;
    this.bus = b.bus;
    InvalidationHistory history = new InvalidationHistory(b.ticker, b.horizon, b.maxTags);
    this.shared =
        b.shared == null
            ? null
            : new SharedLink(b.name, b.shared, b.leaseHold, b.sharedTimeout, b.sharedProbeInterval);
    this.handlers = new Handlers(name);
    this.dispatch = new Dispatch(name, history, graph, shared);
    this.outbound = new Outbound(b, bus, dispatch, handlers, shared);
    this.protocol = new BusProtocol(b, dispatch, outbound, handlers);
    this.context =
        new GroupContext(this, history, graph, shared, bus != null, dispatch, outbound, protocol);
    if (bus != null) {
      protocol.warmUp();
    }
    this.subscription = bus == null ? null : bus.subscribe(protocol);
    this.meters =
        b.meterRegistry == null ? null : GroupMetrics.bind(b.meterRegistry, name, this::stats);
    this.status = new StatusReport(name, instanceId, bus, b.statusInterval, this::stats, dispatch);
  }

  /** Starts a builder for a group named {@code name} (its namespace on the bus). */
  public static CacheGroupBuilder builder(String name) {
    return new CacheGroupBuilder(name);
  }

  /** The context of the private group of a cache built alone: no bus, just the model. */
  static GroupContext standalone(Ticker ticker) {
    return builder("local").ticker(ticker).build().context;
  }

  /** Starts a builder for a cache in this group. */
  public <K, V> FreshCacheBuilder<K, V> cache(String name, Class<K> keyType, Class<V> valueType) {
    return new FreshCacheBuilder<>(name, keyType, valueType, context);
  }

  /** The group's name: its namespace on the bus. */
  public String name() {
    return name;
  }

  /** This instance's id on the bus. */
  public String instanceId() {
    return instanceId;
  }

  // ---------------------------------------------------------------- invalidating

  /** Invalidates these keys (by name) in every cache of the group, on every instance. */
  public void invalidateKeys(String... keys) {
    invalidate(Invalidation.keys(keys));
  }

  /** Invalidates every entry carrying any of these tags, on every instance; O(1) per tag. */
  public void invalidateTag(String... tags) {
    invalidate(Invalidation.tags(tags));
  }

  /**
   * Invalidates every key whose name matches the glob, in every cache, on every instance.
   *
   * @throws IllegalArgumentException if the glob would match every key; use {@link
   *     #invalidateAll()} for that
   */
  public void invalidatePattern(String glob) {
    invalidate(Invalidation.pattern(glob));
  }

  /** Invalidates these keys and every entry derived from them, transitively, on every instance. */
  public void invalidateCascade(String... keys) {
    invalidate(Invalidation.cascade(keys));
  }

  /** Invalidates everything in every cache of the group, on every instance. */
  public void invalidateAll() {
    invalidate(Invalidation.all());
  }

  /**
   * Applies an invalidation here, then sends it to every other instance.
   *
   * @throws UnconfirmedInvalidationException in strict mode, if Redis did not confirm it in time
   */
  public void invalidate(Invalidation invalidation) {
    Objects.requireNonNull(invalidation, "invalidation must not be null");
    outbound.requireReachable(() -> "the invalidation was not applied anywhere");
    Invalidation owed = dispatch.applyToTier(invalidation, false) ? null : invalidation;
    dispatch.apply(invalidation, RemovalCause.INVALIDATED);
    outbound.send(invalidation, owed, () -> "the invalidation was applied on this instance");
  }

  /**
   * Publishes a domain event: applies its invalidation and this instance's matching handlers here,
   * then sends it on the bus in the wire format, for every other instance to do the same.
   *
   * @param eventType e.g. {@code user.updated}
   * @param invalidation what the event's payload invalidates
   * @param data the payload's domain fields (e.g. {@code user_id}), JSON-serialisable
   */
  public void publish(String eventType, Invalidation invalidation, Map<String, ?> data) {
    Objects.requireNonNull(data, "data must not be null");
    // Handlers here must see the data as handlers elsewhere will, after the JSON round trip
    // (a Long 7 arrives as an Integer 7): normalise it the same way now.
    Map<String, Object> fields = EventCodec.asWireData(data);
    InvalidationEvent event =
        new InvalidationEvent(eventType, Outbound.nowSeconds(), invalidation, fields, instanceId);
    // Encoded before anything changes: an event the other instances would refuse is refused here.
    List<String> messages = outbound.encode(event);
    outbound.requireReachable(() -> "the event was not applied anywhere");
    Invalidation owed = dispatch.applyToTier(invalidation, false) ? null : invalidation;
    dispatch.apply(invalidation, RemovalCause.INVALIDATED);
    handlers.run(event, implied -> outbound.applyImplied(implied, RemovalCause.INVALIDATED));
    outbound.sendEvent(owed, event, messages, () -> "the event was applied");
  }

  /**
   * Runs {@code handler} for every event whose type matches {@code eventTypes} — an exact type
   * ({@code user.updated}), a prefix wildcard ({@code product.*}) or {@code *} — on this instance.
   * Every instance subscribes its own handlers. Closing the result stops them.
   */
  public AutoCloseable subscribe(String eventTypes, EventHandler handler) {
    return handlers.subscribe(eventTypes, handler);
  }

  /** Counters of this instance's bus traffic. */
  public GroupStats stats() {
    Outbox outbox = outbound.outbox;
    return GroupStats.builder()
        .published(outbound.published.sum())
        .received(protocol.received.sum())
        .applied(protocol.applied.sum())
        .malformed(protocol.malformed.sum())
        .foreign(protocol.foreign.sum())
        .handlerFailures(handlers.failures.sum())
        .cascaded(dispatch.cascaded.sum())
        .losses(protocol.losses.sum())
        .suspensions(protocol.suspensions.sum())
        .sharedHits(shared == null ? 0 : shared.hits.sum())
        .sharedFailures(shared == null ? 0 : shared.failures.sum())
        .sharedUnencodable(shared == null ? 0 : shared.unencodable.sum())
        .live(protocol.isTrusted())
        .lag(protocol.lag.snapshot())
        .outboxDepth(outbox.size())
        .inFlight(outbox.inFlight())
        .outboxOverflows(outbox.overflows())
        .outboxDelivered(outbox.delivered())
        .sharedSkipped(shared == null ? 0 : shared.skipped.sum())
        .sharedBreakerOpen(shared != null && shared.isOpen())
        .publishFailures(outbound.publishFailures.sum())
        .forged(protocol.forged.sum())
        .downgraded(protocol.downgraded.sum())
        .build();
  }

  /**
   * This instance as it tells the fleet about itself every {@link
   * CacheGroupBuilder#statusInterval}: trusted or not, losses, outbox depth, propagation lag, its
   * caches' hits and misses and their verifiers' findings. {@code freshcache stats} shows these for
   * every instance of the group.
   */
  public io.freshcache.stats.InstanceStatus status() {
    return status.status(false);
  }

  /** Edges held by the dependency graph: for analytics and leak checks. */
  public int dependencyCount() {
    dispatch.members().forEach(GroupMember::settle);
    return graph.edgeCount();
  }

  /**
   * Closes every cache of the group (flushing write-behind), waits a little for the outbox to get
   * what waits in it to Redis (what cannot is logged), detaches from the bus, and closes the bus
   * and tier the group opened itself ({@link CacheGroupBuilder#bus(InvalidationBus.Opener)}, {@link
   * CacheGroupBuilder#shared(io.freshcache.spi.SharedTier.Opener)}); a bus or tier it was handed
   * built stays open for its owner to close, after the group. Closing twice does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    status.close(); // its last word, marked closing, while the bus is open
    RuntimeException failure = null;
    for (GroupMember cache : new ArrayList<>(dispatch.members())) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    outbound.outbox.close(CLOSE_WAIT);
    if (subscription != null) {
      subscription.close();
    }
    if (meters != null) {
      try {
        meters.close();
      } catch (Exception e) {
        log.debug("group '{}': could not remove its meters", name, e);
      }
    }
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        RuntimeException closing =
            e instanceof RuntimeException r
                ? r
                : new IllegalStateException("group '" + name + "': closing " + owned.get(i), e);
        if (failure == null) {
          failure = closing;
        } else {
          failure.addSuppressed(closing);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "CacheGroup["
        + name
        + ", instance "
        + instanceId
        + ", caches "
        + dispatch.members().stream().map(GroupMember::name).sorted().toList()
        + "]";
  }
}
