package io.freshcache.redis;

import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce resources a product's clients run on: handed to it (shared, its owner's to shut down)
 * or made by it ({@link Settings#resources()}, shut down when it closes).
 */
final class Resources {

  private final ClientResources resources;
  private final boolean owned;

  /** The handed resources, or new ones of the product's own if none were handed. */
  Resources(ClientResources handed) {
    this.owned = handed == null;
    this.resources = owned ? Settings.resources() : handed;
  }

  ClientResources get() {
    return resources;
  }

  /** Shuts down resources the product made itself; handed ones stay up. */
  void shutdownIfOwned() {
    if (owned) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
