package io.freshcache.jdbc.pg;

/**
 * Told what a change capture does that an operator should know. Called from the capture's thread;
 * must return quickly and not throw. Every method has a default that does nothing.
 */
public interface CaptureListener {

  /**
   * Changes may have been missed: the slot was missing (dropped, or never created before) or its
   * position could no longer be resumed. By the time this is called the capture has had the bus
   * accept an invalidation of everything the mapping covers, and streams again from a new slot.
   */
  default void onLoss(String reason) {}

  /** This instance became the consumer of the slot ({@code true}) or stopped being it. */
  default void onLeadership(boolean leader) {}

  /** The slot holds back {@code bytes} of WAL, more than the warning threshold. */
  default void onRetainedWal(long bytes) {}

  /** A listener that does nothing. */
  static CaptureListener none() {
    return new CaptureListener() {};
  }
}
