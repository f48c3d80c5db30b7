package io.freshcache.event;

import java.util.List;

/**
 * Turns a domain event into invalidations, on every instance that subscribed it. For example,
 * {@code user.updated} with {@code user_id} 123 may invalidate the tag {@code feed:user:123}. A
 * handler runs on the thread that delivers the event and must be fast; what it throws is logged and
 * counted, and changes nothing.
 */
@FunctionalInterface
public interface EventHandler {

  /** The invalidations this event implies, beyond the ones its payload already names. */
  List<Invalidation> handle(InvalidationEvent event);
}
