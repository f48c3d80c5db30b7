package io.freshcache.event;

import java.util.Map;
import java.util.Objects;

/**
 * A domain event on the bus, as the plain JSON wire format carries it: a named type ({@code
 * user.updated}), the invalidation its payload asks for, and the payload's other fields (domain
 * data such as {@code user_id}) for handlers.
 *
 * @param type the event type, e.g. {@code product.price_changed}
 * @param timestamp the publisher's timestamp in seconds; not necessarily wall-clock time (the plain
 *     publishers may use a monotonic clock of its own process)
 * @param invalidation what the payload asks to invalidate
 * @param data the payload's other fields, unmodifiable
 * @param source the publishing instance's id, or {@code null} for a publisher that sends none
 */
public record InvalidationEvent(
    String type,
    double timestamp,
    Invalidation invalidation,
    Map<String, Object> data,
    String source) {

  public InvalidationEvent {
    EventTypes.requireValid(type);
    Objects.requireNonNull(invalidation, "invalidation must not be null");
    data = Map.copyOf(Objects.requireNonNull(data, "data must not be null"));
  }
}
