package io.freshcache;

import io.freshcache.event.EventCodec;
import io.freshcache.event.EventKeys;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.spi.InvalidationBus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What this instance sends: its invalidations and events to the bus, in order behind whatever waits
 * in the outbox, signed when the group has keys; the tier changes it owes; strict mode's wait for
 * Redis to confirm.
 */
final class Outbound {

  private final String group;
  private final String instanceId;
  private final InvalidationBus bus;
  private final EventKeys eventKeys;
  private final Duration strict;
  private final SharedLink shared;
  private final Dispatch dispatch;
  private final Handlers handlers;
  final Outbox outbox;
  final LongAdder published = new LongAdder();
  final LongAdder publishFailures = new LongAdder();

  Outbound(
      CacheGroupBuilder b,
      InvalidationBus bus,
      Dispatch dispatch,
      Handlers handlers,
      SharedLink shared) {
    this.group = b.name;
    this.instanceId = b.instanceId;
    this.bus = bus;
    this.eventKeys = b.eventKeys;
    this.strict = b.strict;
    this.shared = shared;
    this.dispatch = dispatch;
    this.handlers = handlers;
    this.outbox =
        new Outbox(
            b.name,
            serverName(bus, b.shared),
            b.outboxCapacity,
            new OutboxDelivery(),
            b.outboxMarkers == null
                ? null
                : new OutboxMarker(b.outboxMarkers, b.name, b.instanceId));
  }

  /** Wall-clock seconds with microseconds, for the event's timestamp and lag measurement. */
  /** Where the outbox's invalidations wait to get through to, for its log lines: "Redis". */
  private static String serverName(InvalidationBus bus, io.freshcache.spi.SharedTier tier) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    if (bus != null) {
      names.add(bus.serverName());
    }
    if (tier != null) {
      names.add(tier.serverName());
    }
    return names.isEmpty() ? "the bus" : String.join(" and ", names);
  }

  static double nowSeconds() {
    Instant now = Instant.now();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  /** The event as the bus would carry it, for a check before anything changes. */
  List<String> encode(InvalidationEvent event) {
    return bus == null ? List.of() : EventCodec.encodeFitting(event, group, eventKeys);
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
        new InvalidationEvent(
            CacheGroup.INVALIDATE_EVENT, nowSeconds(), invalidation, Map.of(), instanceId);
    handlers.run(event, implied -> applyImplied(implied, RemovalCause.INVALIDATED));
    if (bus != null || owedTier != null) {
      deliver(owedTier, CacheGroup.INVALIDATE_EVENT, bus == null ? null : event, null, done);
    }
  }

  /** Sends a domain event already applied here (handlers included), encoded as {@code messages}. */
  void sendEvent(
      Invalidation owedTier,
      InvalidationEvent event,
      List<String> messages,
      Supplier<String> done) {
    deliver(owedTier, event.type(), bus == null ? null : event, messages, done);
  }

  /**
   * Applies what a handler implied: the tier (or the outbox), then here. Handlers are per instance
   * (the publisher may not have this one): whoever runs one tells the tier what it implied.
   * Idempotent; one round trip per instance.
   */
  void applyImplied(Invalidation invalidation, RemovalCause cause) {
    applyToTierOrQueue(invalidation, "applying what a handler implied");
    dispatch.apply(invalidation, cause);
  }

  /**
   * Applies a tier change that this instance makes on another's behalf (an event from a publisher
   * that does not touch the tier, a handler's, a loss): what the tier does not take goes to the
   * outbox.
   */
  void applyToTierOrQueue(Invalidation invalidation, String why) {
    if (!dispatch.applyToTier(invalidation, false)) {
      outbox.add(invalidation, null, null, why);
    }
  }

  /** Whether this instance owes the shared tier an invalidation it has not taken yet. */
  boolean owesTier() {
    return outbox.owesTier();
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
   * through the outbox. Completes when the bus holds all of it. Until the bus has answered, the
   * outbox counts the event as in flight (its marker says a crash now loses something).
   */
  private CompletableFuture<Void> publishNow(
      String eventType, InvalidationEvent event, List<String> encoded) {
    List<String> messages =
        encoded != null ? encoded : EventCodec.encodeFitting(event, group, eventKeys);
    CompletableFuture<?>[] sent = new CompletableFuture<?>[messages.size()];
    outbox.sending();
    for (int i = 0; i < sent.length; i++) {
      sent[i] = publishQuietly(eventType, messages.get(i));
      published.increment();
    }
    return CompletableFuture.allOf(sent)
        .handle(
            (ok, failure) -> {
              CompletableFuture<Void> done =
                  failure == null
                      ? CompletableFuture.<Void>completedFuture(null)
                      : outbox.add(null, eventType, resendable(event), describe(failure));
              outbox.confirmed(); // after the add: the outbox counts the event all along
              return done;
            })
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
    Invalidation late =
        event
            .invalidation()
            .match(
                new KeyedRewrite() {
                  @Override
                  public Invalidation update(Invalidation.Update update) {
                    return new Invalidation.Keys(
                        update.cache(), update.keys(), false, update.version());
                  }

                  @Override
                  public Invalidation keys(Invalidation.Keys keys) {
                    return keys;
                  }
                });
    return late == event.invalidation()
        ? event
        : new InvalidationEvent(
            event.type(), event.timestamp(), late, event.data(), event.source());
  }

  private static String describe(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
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
              + group
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
      confirmed.get(strict.toNanos(), TimeUnit.NANOSECONDS);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (TimeoutException e) {
      failure = e;
    }
    throw new UnconfirmedInvalidationException(
        "group '"
            + group
            + "': "
            + done.get()
            + ", but Redis did not confirm the invalidation within "
            + strict.toMillis()
            + " ms: other instances may serve the old value until it does. It stays in the"
            + " outbox and is sent when Redis answers",
        false,
        failure);
  }

  /** What the outbox needs: the tier, the bus, and the clear-everything event. */
  private final class OutboxDelivery implements Outbox.Delivery {
    @Override
    public boolean applyToTier(List<Invalidation> changes) {
      return dispatch.applyToTier(changes, true);
    }

    @Override
    public CompletableFuture<Integer> publishInOrder(
        List<String> eventTypes, List<InvalidationEvent> events) {
      if (bus == null) {
        return CompletableFuture.completedFuture(events.size());
      }
      List<String> types = new ArrayList<>();
      List<String> messages = new ArrayList<>();
      int[] messagesUpTo = new int[events.size()]; // messages of the first i + 1 events
      for (int i = 0; i < events.size(); i++) {
        for (String message : EventCodec.encodeFitting(events.get(i), group, eventKeys)) {
          types.add(eventTypes.get(i));
          messages.add(message);
        }
        messagesUpTo[i] = messages.size();
      }
      CompletableFuture<Integer> sent;
      try {
        sent = bus.publishInOrder(types, messages);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      return sent.handle(
          (held, failure) -> {
            int heldMessages = failure == null ? held : 0;
            if (heldMessages < messages.size()) {
              publishFailures.increment();
            }
            int through = 0;
            while (through < events.size() && messagesUpTo[through] <= heldMessages) {
              through++;
            }
            return through;
          });
    }

    @Override
    public InvalidationEvent clearEverything(String reason) {
      return new InvalidationEvent(
          CacheGroup.INVALIDATE_EVENT,
          nowSeconds(),
          new Invalidation.All(null),
          Outbox.reason(reason),
          instanceId);
    }
  }
}
