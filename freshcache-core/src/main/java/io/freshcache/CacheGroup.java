package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.event.EventCodec;
import io.freshcache.event.EventHandler;
import io.freshcache.event.EventKeys;
import io.freshcache.event.EventTypes;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.SharedTier;
import io.freshcache.stats.GroupStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
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
  private static final int MAX_LOGGED_REASONS = 1_000;

  /** The event type of invalidations made through the API rather than published as events. */
  public static final String INVALIDATE_EVENT = "freshcache.invalidate";

  private final String name;
  private final String instanceId;
  private final InvalidationBus bus;
  private final InvalidationBus.Subscription subscription;
  final InvalidationHistory history;
  final DependencyGraph graph = new DependencyGraph();
  final SharedLink shared;
  private final Map<String, LocalCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();
  private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();
  private final LongAdder published = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder applied = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder handlerFailures = new LongAdder();
  private final LongAdder cascaded = new LongAdder();
  private final LongAdder losses = new LongAdder();
  private final LongAdder suspensions = new LongAdder();
  private final LagHistogram lag = new LagHistogram();
  private final Outbox outbox;
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder forged = new LongAdder();
  private final LongAdder downgraded = new LongAdder();
  private final AutoCloseable meters;

  /** Signs what this group sends; null without keys. */
  private final EventKeys eventKeys;

  private final EventTrust trust;

  /** When (System.nanoTime) a forged event was last logged, to log once per burst. */
  private volatile long forgedLoggedAt;

  private long forgedAtLastLog;

  /** How long strict mode waits for Redis to confirm; null in the default mode. */
  private final java.time.Duration strict;

  /**
   * Until when (System.nanoTime) local entries may be served, as the bus last vouched; MAX_VALUE
   * for a bus that never loses anything. Checked on every hit, so a stalled bus cannot make this
   * instance serve past it, however late any thread of ours runs.
   */
  private volatile long trustedUntil = Long.MAX_VALUE;

  private volatile boolean suspended;

  private record Handler(String subscription, EventHandler handler) {}

  CacheGroup(CacheGroupBuilder b) {
    this.name = b.name;
    this.instanceId = b.instanceId;
    this.bus = b.bus;
    this.history = new InvalidationHistory(b.ticker, b.horizon, b.maxTags);
    this.shared =
        b.shared == null
            ? null
            : new SharedLink(b.name, b.shared, b.leaseHold, b.sharedTimeout, b.sharedProbeInterval);
    this.strict = b.strict;
    this.eventKeys = b.eventKeys;
    this.trust = new EventTrust(b.eventKeys, b.maxVersionStep);
    this.outbox =
        new Outbox(
            b.name,
            b.outboxCapacity,
            new OutboxDelivery(),
            b.outboxMarkers == null
                ? null
                : new OutboxMarker(b.outboxMarkers, b.name, b.instanceId));
    if (bus != null) {
      warmUp();
    }
    this.subscription = bus == null ? null : bus.subscribe(new BusReceiver());
    this.meters =
        b.meterRegistry == null ? null : GroupMetrics.bind(b.meterRegistry, name, this::stats);
  }

  /** Starts a builder for a group named {@code name} (its namespace on the bus). */
  public static CacheGroupBuilder builder(String name) {
    return new CacheGroupBuilder(name);
  }

  /** The private group of a cache built alone: no bus, just the invalidation model. */
  static CacheGroup standalone(Ticker ticker) {
    return builder("local").ticker(ticker).build();
  }

  /** Starts a builder for a cache in this group. */
  public <K, V> FreshCacheBuilder<K, V> cache(String name, Class<K> keyType, Class<V> valueType) {
    return new FreshCacheBuilder<>(name, keyType, valueType, this);
  }

  /** The group's name: its namespace on the bus. */
  public String name() {
    return name;
  }

  /** This instance's id on the bus. */
  public String instanceId() {
    return instanceId;
  }

  boolean hasBus() {
    return bus != null;
  }

  void register(LocalCache<?, ?> cache) {
    if (caches.putIfAbsent(cache.name(), cache) != null) {
      throw new IllegalStateException(
          "group '" + name + "' already has a cache named '" + cache.name() + "'");
    }
  }

  void deregister(LocalCache<?, ?> cache) {
    caches.remove(cache.name(), cache);
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
    requireReachable(() -> "the invalidation was not applied anywhere");
    Invalidation owed = applyToTier(invalidation, false) ? null : invalidation;
    apply(invalidation);
    send(invalidation, owed, () -> "the invalidation was applied on this instance");
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
        new InvalidationEvent(eventType, nowSeconds(), invalidation, fields, instanceId);
    // Encoded before anything changes: an event the other instances would refuse is refused here.
    List<String> messages =
        bus == null ? List.of() : EventCodec.encodeFitting(event, name, eventKeys);
    requireReachable(() -> "the event was not applied anywhere");
    Invalidation owed = applyToTier(invalidation, false) ? null : invalidation;
    apply(invalidation);
    runHandlers(event);
    deliver(owed, eventType, bus == null ? null : event, messages, () -> "the event was applied");
  }

  /**
   * Sends an invalidation already applied here, and runs this instance's handlers on it.
   *
   * @param owedTier what the shared tier could not be told yet (null if it was, or there is none):
   *     it goes to the outbox, ahead of the event
   * @param done what the caller has done so far, for strict mode's exception
   */
  void send(Invalidation invalidation, Invalidation owedTier, Supplier<String> done) {
    if (bus == null && handlers.isEmpty() && owedTier == null) {
      return; // nobody to tell: skip building the event (the common case of a cache alone)
    }
    InvalidationEvent event =
        new InvalidationEvent(INVALIDATE_EVENT, nowSeconds(), invalidation, Map.of(), instanceId);
    runHandlers(event);
    if (bus != null || owedTier != null) {
      deliver(owedTier, INVALIDATE_EVENT, bus == null ? null : event, null, done);
    }
  }

  /**
   * Hands a tier change and an event on, in order behind whatever waits in the outbox; straight to
   * the bus when nothing waits. In strict mode, waits for Redis to confirm.
   */
  private void deliver(
      Invalidation owedTier,
      String eventType,
      InvalidationEvent event,
      List<String> messages,
      Supplier<String> done) {
    CompletableFuture<Void> confirmed;
    if (owedTier == null && outbox.isEmpty()) {
      confirmed =
          event == null
              ? CompletableFuture.completedFuture(null)
              : publishNow(eventType, event, messages);
    } else {
      confirmed =
          outbox.add(
              owedTier,
              eventType,
              event,
              owedTier != null ? "the shared tier did not take it" : "older ones are waiting");
    }
    if (strict != null) {
      awaitConfirmation(confirmed, done);
    }
  }

  /**
   * Publishes every message of the event; a message the bus could not take sends the event again
   * through the outbox. Completes when the bus holds all of it.
   */
  private CompletableFuture<Void> publishNow(
      String eventType, InvalidationEvent event, List<String> encoded) {
    List<String> messages =
        encoded != null ? encoded : EventCodec.encodeFitting(event, name, eventKeys);
    CompletableFuture<?>[] sent = new CompletableFuture<?>[messages.size()];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = publishQuietly(eventType, messages.get(i));
      published.increment();
    }
    return CompletableFuture.allOf(sent)
        .handle(
            (ok, failure) ->
                failure == null
                    ? CompletableFuture.<Void>completedFuture(null)
                    : outbox.add(null, eventType, resendable(event), describe(failure)))
        .thenCompose(f -> f);
  }

  private CompletableFuture<Void> publishQuietly(String eventType, String message) {
    CompletableFuture<Void> sent;
    try {
      sent = bus.publish(eventType, message);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (sent == null) {
      return CompletableFuture.completedFuture(null);
    }
    return sent.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            publishFailures.increment();
          }
        });
  }

  /**
   * The event as it may be sent late, after newer ones: invalidations only remove, so they may come
   * in any order; values may not (an old value would overwrite a newer one), so an update is sent
   * again as an invalidation of its keys.
   */
  private static InvalidationEvent resendable(InvalidationEvent event) {
    if (event.invalidation() instanceof Invalidation.Update update) {
      return new InvalidationEvent(
          event.type(),
          event.timestamp(),
          new Invalidation.Keys(update.cache(), update.keys(), false, update.version()),
          event.data(),
          event.source());
    }
    return event;
  }

  private static String describe(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return String.valueOf(cause.getMessage());
  }

  /**
   * In strict mode, refuses a change before anything is done while Redis is known to be out of
   * reach (invalidations wait in the outbox, or the tier's breaker is open).
   */
  void requireReachable(Supplier<String> refused) {
    if (strict == null) {
      return;
    }
    if (!outbox.isEmpty() || (shared != null && shared.isOpen())) {
      throw new UnconfirmedInvalidationException(
          "group '"
              + name
              + "' is in strict mode and Redis cannot be reached now ("
              + (outbox.isEmpty()
                  ? "the shared tier is failing"
                  : outbox.size() + " invalidations are waiting for it")
              + "): "
              + refused.get()
              + "; nothing changed, here or in the source. Retry once Redis answers",
          true,
          null);
    }
  }

  private void awaitConfirmation(CompletableFuture<Void> confirmed, Supplier<String> done) {
    Throwable failure;
    try {
      confirmed.get(strict.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (java.util.concurrent.ExecutionException e) {
      failure = e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      failure = e;
    }
    throw new UnconfirmedInvalidationException(
        "group '"
            + name
            + "': "
            + done.get()
            + ", but Redis did not confirm the invalidation within "
            + strict.toMillis()
            + " ms: other instances may serve the old value until it does. It stays in the"
            + " outbox and is sent when Redis answers",
        false,
        failure);
  }

  /**
   * Runs {@code handler} for every event whose type matches {@code eventTypes} — an exact type
   * ({@code user.updated}), a prefix wildcard ({@code product.*}) or {@code *} — on this instance.
   * Every instance subscribes its own handlers. Closing the result stops them.
   */
  public AutoCloseable subscribe(String eventTypes, EventHandler handler) {
    EventTypes.requireValidSubscription(eventTypes);
    Handler registration = new Handler(eventTypes, Objects.requireNonNull(handler, "handler"));
    handlers.add(registration);
    return () -> handlers.remove(registration);
  }

  /** Counters of this instance's bus traffic. */
  public GroupStats stats() {
    return GroupStats.builder()
        .published(published.sum())
        .received(received.sum())
        .applied(applied.sum())
        .malformed(malformed.sum())
        .foreign(foreign.sum())
        .handlerFailures(handlerFailures.sum())
        .cascaded(cascaded.sum())
        .losses(losses.sum())
        .suspensions(suspensions.sum())
        .sharedHits(shared == null ? 0 : shared.hits.sum())
        .sharedFailures(shared == null ? 0 : shared.failures.sum())
        .sharedUnencodable(shared == null ? 0 : shared.unencodable.sum())
        .live(isTrusted())
        .lag(lag.snapshot())
        .outboxDepth(outbox.size())
        .outboxOverflows(outbox.overflows())
        .outboxDelivered(outbox.delivered())
        .sharedSkipped(shared == null ? 0 : shared.skipped.sum())
        .sharedBreakerOpen(shared != null && shared.isOpen())
        .publishFailures(publishFailures.sum())
        .forged(forged.sum())
        .downgraded(downgraded.sum())
        .build();
  }

  /** Edges held by the dependency graph: for analytics and leak checks. */
  public int dependencyCount() {
    return graph.edgeCount();
  }

  /**
   * Closes every cache of the group (flushing write-behind), waits a little for the outbox to get
   * what waits in it to Redis (what cannot is logged), and detaches from the bus. Close the group
   * before its bus and tier.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (LocalCache<?, ?> cache : new ArrayList<>(caches.values())) {
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
    outbox.close(CLOSE_WAIT);
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
    if (failure != null) {
      throw failure;
    }
  }

  /** How long close() gives the outbox to reach Redis. */
  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(2);

  @Override
  public String toString() {
    return "CacheGroup[" + name + ", instance " + instanceId + ", caches " + caches.keySet() + "]";
  }

  // ---------------------------------------------------------------- applying

  /** Applies an invalidation to this instance's caches; does not send it anywhere. */
  void apply(Invalidation invalidation) {
    Collection<LocalCache<?, ?>> targets = targets(invalidation.cache());
    if (invalidation instanceof Invalidation.Keys keys) {
      long version = keys.version().orElse(InvalidationHistory.NO_VERSION);
      for (String key : keys.keys()) {
        history.invalidateKey(key, version);
        targets.forEach(cache -> cache.invalidateNamed(key));
      }
      if (keys.cascade()) {
        cascade(keys.keys());
      }
    } else if (invalidation instanceof Invalidation.Tags tags) {
      history.invalidateTags(tags.tags());
    } else if (invalidation instanceof Invalidation.Pattern pattern) {
      targets.forEach(cache -> cache.invalidateMatching(pattern.glob()));
    } else if (invalidation instanceof Invalidation.Update update) {
      long version = update.version().orElse(InvalidationHistory.NO_VERSION);
      for (String key : update.keys()) {
        history.invalidateKey(key, version);
        Object value = update.values().get(key);
        targets.forEach(cache -> cache.applyUpdate(key, value, version));
      }
    } else {
      targets.forEach(LocalCache::clearLocal);
    }
  }

  /**
   * Makes the shared tier forget what {@code invalidation} invalidates, and waits (bounded) for it.
   * Called before the invalidation is applied here and sent, so that neither this instance nor one
   * reacting to the event reads the old shared value back. One that names no cache reaches every
   * cache of the namespace in the tier, not only those held here. A tier that fails is counted and
   * logged, and the caller hands the change to the outbox.
   *
   * @param force send even while the tier's breaker is open (the outbox's retries)
   * @return whether the tier confirmed it (true without a tier)
   */
  boolean applyToTier(Invalidation invalidation, boolean force) {
    if (shared == null) {
      return true;
    }
    String named = invalidation.cache();
    List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
    SharedTier tier = shared.tier;
    if (invalidation instanceof Invalidation.Keys keys) {
      calls.add(invalidateKeys(named, keys.keys(), force));
      Map<String, List<String>> byCache = new java.util.HashMap<>();
      if (keys.cascade()) {
        for (DependencyGraph.Node node : graph.dependentsOf(keys.keys())) {
          byCache.computeIfAbsent(node.cache().name(), c -> new ArrayList<>()).add(node.name());
        }
      }
      byCache.forEach(
          (cache, names) ->
              calls.add(shared.start(() -> tier.invalidate(cache, names), "invalidate", force)));
    } else if (invalidation instanceof Invalidation.Update update) {
      calls.add(invalidateKeys(named, update.keys(), force));
    } else if (invalidation instanceof Invalidation.Tags tags) {
      calls.add(shared.start(() -> tier.invalidateTags(tags.tags()), "invalidateTags", force));
    } else if (invalidation instanceof Invalidation.Pattern pattern) {
      calls.add(
          shared.start(
              () ->
                  named == null
                      ? tier.invalidatePatternInEveryCache(pattern.glob())
                      : tier.invalidatePattern(named, pattern.glob()),
              "invalidatePattern",
              force));
    } else if (invalidation instanceof Invalidation.All) {
      calls.add(
          shared.start(
              () -> named == null ? tier.invalidateEveryCache() : tier.invalidateAll(named),
              "invalidateAll",
              force));
    } else {
      throw new IllegalArgumentException("not an invalidation the tier knows: " + invalidation);
    }
    return shared.awaitAll(calls);
  }

  /**
   * Applies a tier change that this instance makes on another's behalf (an event from a publisher
   * that does not touch the tier, a handler's, a loss): what the tier does not take goes to the
   * outbox.
   */
  private void applyToTierOrQueue(Invalidation invalidation, String why) {
    if (!applyToTier(invalidation, false)) {
      outbox.add(invalidation, null, null, why);
    }
  }

  /**
   * Whether a local miss may read the shared tier now: not while this instance owes the tier an
   * invalidation (it could read back what it invalidated), nor while the bus cannot vouch for
   * delivery (the tier may hold what an event this instance has not heard yet invalidated).
   */
  boolean readsShared() {
    return !outbox.owesTier() && isTrusted();
  }

  /** What the outbox needs of the group: the tier, the bus, and the clear-everything event. */
  private final class OutboxDelivery implements Outbox.Delivery {
    @Override
    public boolean applyToTier(Invalidation change) {
      return CacheGroup.this.applyToTier(change, true);
    }

    @Override
    public CompletableFuture<Void> publish(String eventType, InvalidationEvent event) {
      if (bus == null) {
        return CompletableFuture.completedFuture(null);
      }
      List<String> messages = EventCodec.encodeFitting(event, name, eventKeys);
      CompletableFuture<?>[] sent = new CompletableFuture<?>[messages.size()];
      for (int i = 0; i < sent.length; i++) {
        sent[i] = publishQuietly(eventType, messages.get(i));
      }
      return CompletableFuture.allOf(sent);
    }

    @Override
    public InvalidationEvent clearEverything(String reason) {
      return new InvalidationEvent(
          INVALIDATE_EVENT,
          nowSeconds(),
          new Invalidation.All(null),
          Outbox.reason(reason),
          instanceId);
    }
  }

  private java.util.concurrent.CompletableFuture<?> invalidateKeys(
      String cache, List<String> keys, boolean force) {
    SharedTier tier = shared.tier;
    return shared.start(
        () -> cache == null ? tier.invalidateInEveryCache(keys) : tier.invalidate(cache, keys),
        "invalidate",
        force);
  }

  private void cascade(List<String> roots) {
    for (DependencyGraph.Node node : graph.dependentsOf(roots)) {
      history.invalidateKey(node.name(), InvalidationHistory.NO_VERSION);
      invalidateNode(node);
      cascaded.increment();
    }
  }

  @SuppressWarnings("unchecked")
  private static <K> void invalidateNode(DependencyGraph.Node node) {
    ((LocalCache<K, ?>) node.cache()).invalidateLocal((K) node.key());
  }

  private Collection<LocalCache<?, ?>> targets(String cache) {
    if (cache == null) {
      return caches.values();
    }
    LocalCache<?, ?> target = caches.get(cache);
    return target == null ? List.of() : List.of(target);
  }

  /** Wall-clock seconds with microseconds, for the event's timestamp and lag measurement. */
  private static double nowSeconds() {
    Instant now = Instant.now();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  /** What the bus calls; kept off the group's public surface. */
  private final class BusReceiver implements InvalidationBus.Receiver {
    @Override
    public void onMessage(String message) {
      receive(message);
    }

    @Override
    public void onLoss(String reason) {
      log.warn(
          "group '{}': the bus may have lost invalidations ({}); clearing this instance's caches",
          name,
          reason);
      // A lost event from a channel-only publisher never reached the shared tier either: what it
      // invalidated, in any cache of the namespace, may still be there. Forget the namespace's
      // shared entries first, then local ones.
      applyToTierOrQueue(new Invalidation.All(null), "clearing the tier after a loss");
      caches.values().forEach(LocalCache::clearLocal);
      losses.increment(); // counted once handled: a reader of the count sees the caches cleared
    }

    @Override
    public void trustUntil(long deadline) {
      trustedUntil = deadline;
      if (suspended && System.nanoTime() - deadline < 0) {
        suspended = false;
        log.info("group '{}': the bus caught up; local hits resumed", name);
      }
    }
  }

  /**
   * Whether local entries may be served now. The first read that finds trust expired counts a
   * suspension and says so in the log.
   */
  boolean trusted() {
    if (isTrusted()) {
      return true;
    }
    if (!suspended) {
      suspended = true;
      suspensions.increment();
      log.warn(
          "group '{}': the bus has not confirmed delivery within its staleness bound; local hits"
              + " are suspended until it catches up",
          name);
    }
    return false;
  }

  private boolean isTrusted() {
    long until = trustedUntil;
    return until == Long.MAX_VALUE || System.nanoTime() - until < 0;
  }

  /**
   * Runs the codec and the signature check once, on an event of our own, before the bus delivers
   * anything. A cold JVM spends hundreds of milliseconds loading and initialising them (Jackson,
   * the MAC); on the bus's delivery thread that stalled the heartbeats queued behind the first
   * event, and the instance suspended for no fault (seen with separate processes on two cores).
   */
  private void warmUp() {
    InvalidationEvent sample =
        new InvalidationEvent(
            INVALIDATE_EVENT, 0, Invalidation.keys("warm-up"), Map.of(), instanceId);
    for (String message : EventCodec.encodeFitting(sample, name, eventKeys)) {
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

  private void receive(String message) {
    EventCodec.Envelope envelope;
    try {
      envelope = EventCodec.decode(message);
    } catch (EventCodec.MalformedEventException e) {
      malformed.increment();
      logOnce("group '" + name + "': ignored a malformed event on the bus: " + e.getMessage());
      return;
    }
    InvalidationEvent event = envelope.event();
    if (instanceId.equals(event.source())) {
      return; // applied here before it was sent
    }
    if (envelope.namespace() != null && !envelope.namespace().equals(name)) {
      foreign.increment();
      return;
    }
    EventTrust.Verdict verdict = trust.verdict(envelope.signature(), envelope.sigField());
    if (verdict == EventTrust.Verdict.FORGED) {
      refuseForged(event, envelope.signature());
      return;
    }
    received.increment();
    Invalidation allowed = trust.allowed(event.invalidation(), verdict, this::knownVersion);
    boolean wasDowngraded = allowed != event.invalidation();
    if (wasDowngraded) {
      event =
          new InvalidationEvent(
              event.type(), event.timestamp(), allowed, event.data(), event.source());
    }
    if (event.source() == null) {
      // A publisher that knows only the plain JSON format did not touch the tier: every receiver
      // does, before its own caches (idempotent). Freshcache publishers did before publishing.
      applyToTierOrQueue(event.invalidation(), "applying an event of a plain publisher");
    }
    apply(event.invalidation());
    applied.increment();
    if (wasDowngraded) {
      downgraded.increment(); // counted once applied: a reader of the count sees the invalidation
    }
    if (event.source() != null && event.timestamp() > 0) {
      lag.record((long) ((nowSeconds() - event.timestamp()) * 1e6));
    }
    runHandlers(event);
  }

  /** The highest version this instance knows for a key: its entries' and its history's. */
  private long knownVersion(String key) {
    long known = history.invalidatedVersion(key);
    for (LocalCache<?, ?> cache : caches.values()) {
      known = Math.max(known, cache.heldVersion(key));
    }
    return known;
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
          name,
          since,
          event.type(),
          signature == null
              ? "a sig field not in the signing recipe's shape"
              : "signed with key id \"" + signature.keyId() + "\"");
    }
  }

  private static final long FORGED_LOG_INTERVAL_NANOS = 60_000_000_000L;

  private void runHandlers(InvalidationEvent event) {
    for (Handler registration : handlers) {
      if (!EventTypes.matches(registration.subscription, event.type())) {
        continue;
      }
      try {
        List<Invalidation> implied = registration.handler.handle(event);
        if (implied != null) {
          for (Invalidation invalidation : implied) {
            // Handlers are per instance (the publisher may not have this one): whoever runs one
            // tells the tier what it implied. Idempotent; one round trip per instance.
            applyToTierOrQueue(invalidation, "applying what a handler implied");
            apply(invalidation);
          }
        }
      } catch (RuntimeException e) {
        handlerFailures.increment();
        log.warn(
            "group '{}': handler for '{}' failed on a {} event; it changed nothing",
            name,
            registration.subscription,
            event.type(),
            e);
      }
    }
  }

  private void logOnce(String reason) {
    if (loggedReasons.size() < MAX_LOGGED_REASONS && loggedReasons.add(reason)) {
      log.warn(reason);
    }
  }
}
