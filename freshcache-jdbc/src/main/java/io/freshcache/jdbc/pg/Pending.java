package io.freshcache.jdbc.pg;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Committed transactions whose invalidations the bus has not yet accepted, in commit order. The
 * slot's confirmed position may move only past the head of this queue once its future completed: a
 * transaction accepted out of order waits for the ones before it. A failed publication is sent
 * again after a backoff. Used by the capture's thread only.
 */
final class Pending {

  static final class Entry {
    final long endLsn;
    final List<String> messages;
    CompletableFuture<Void> accepted;
    int attempts;
    long retryAt;

    Entry(long endLsn, List<String> messages, CompletableFuture<Void> accepted) {
      this.endLsn = endLsn;
      this.messages = messages;
      this.accepted = accepted;
    }
  }

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final Function<List<String>, CompletableFuture<Void>> publisher;
  private final long minBackoffNanos;
  private final long maxBackoffNanos;
  private long failures;

  Pending(
      Function<List<String>, CompletableFuture<Void>> publisher, long minBackoff, long maxBackoff) {
    this.publisher = publisher;
    this.minBackoffNanos = minBackoff;
    this.maxBackoffNanos = maxBackoff;
  }

  void add(Entry e) {
    entries.addLast(e);
  }

  int size() {
    return entries.size();
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Publications that failed and were sent again, since this queue was made. */
  long failures() {
    return failures;
  }

  /**
   * Retries what failed (when its backoff is over), then drops the accepted head of the queue.
   *
   * @return the end position of the last transaction dropped, or 0 if none
   */
  long drain(long now) {
    for (Entry e : entries) {
      if (e.accepted.isCompletedExceptionally()) {
        if (e.retryAt == 0) {
          failures++;
          e.attempts++;
          long backoff = Math.min(maxBackoffNanos, minBackoffNanos << Math.min(e.attempts, 20));
          e.retryAt = now + backoff;
        } else if (now - e.retryAt >= 0) {
          e.retryAt = 0;
          e.accepted = publisher.apply(e.messages);
        }
      }
    }
    long acked = 0;
    while (!entries.isEmpty()) {
      Entry head = entries.peekFirst();
      if (!head.accepted.isDone() || head.accepted.isCompletedExceptionally()) {
        break;
      }
      entries.pollFirst();
      acked = head.endLsn;
    }
    return acked;
  }

  /** The oldest transaction waiting, or null. */
  Entry head() {
    return entries.peekFirst();
  }
}
