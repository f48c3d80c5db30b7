package io.freshcache.spi;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bus's hold on one {@link InvalidationBus.Receiver}: what every bus implementation needs between
 * its connections and a subscriber. Calls reach the receiver one at a time, in the order the bus
 * makes them, whichever of the bus's threads makes them (a message path, a loss detector, a
 * heartbeat), so a receiver never sees a loss overtake the message before it; a receiver that
 * throws on a message is logged and keeps receiving.
 */
public final class SerialReceiver implements InvalidationBus.Receiver {

  private static final Logger log = LoggerFactory.getLogger(SerialReceiver.class);

  private final InvalidationBus.Receiver receiver;

  /** Serialises the calls to {@code receiver}. */
  public SerialReceiver(InvalidationBus.Receiver receiver) {
    this.receiver = Objects.requireNonNull(receiver, "receiver must not be null");
  }

  @Override
  public synchronized void onMessage(String message) {
    try {
      receiver.onMessage(message);
    } catch (RuntimeException e) {
      log.warn("a bus receiver failed on a message", e);
    }
  }

  @Override
  public synchronized void onLoss(String reason) {
    receiver.onLoss(reason);
  }

  @Override
  public synchronized void trustUntil(long deadline) {
    receiver.trustUntil(deadline);
  }
}
