package io.freshcache;

import io.freshcache.event.EventHandler;
import io.freshcache.event.EventTypes;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event handlers subscribed on this instance, and the running of them. */
final class Handlers {

  private static final Logger log = LoggerFactory.getLogger(CacheGroup.class);

  private record Handler(String subscription, EventHandler handler) {}

  private final String group;
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();
  final LongAdder failures = new LongAdder();

  Handlers(String group) {
    this.group = group;
  }

  AutoCloseable subscribe(String eventTypes, EventHandler handler) {
    EventTypes.requireValidSubscription(eventTypes);
    Handler registration = new Handler(eventTypes, Objects.requireNonNull(handler, "handler"));
    handlers.add(registration);
    return () -> handlers.remove(registration);
  }

  boolean isEmpty() {
    return handlers.isEmpty();
  }

  /**
   * Runs every handler whose subscription matches the event; what a handler implies goes to {@code
   * apply}. A handler that throws is counted and logged, and changes nothing.
   */
  void run(InvalidationEvent event, Consumer<Invalidation> apply) {
    for (Handler registration : handlers) {
      if (!EventTypes.matches(registration.subscription, event.type())) {
        continue;
      }
      try {
        List<Invalidation> implied = registration.handler.handle(event);
        if (implied != null) {
          implied.forEach(apply);
        }
      } catch (RuntimeException e) {
        failures.increment();
        log.warn(
            "group '{}': handler for '{}' failed on a {} event; it changed nothing",
            group,
            registration.subscription,
            event.type(),
            e);
      }
    }
  }
}
