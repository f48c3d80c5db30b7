package io.freshcache.redis;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * Puts a namespace's events in their log order and says when one is missing: the bus's channel
 * copies carry their number in the log ({@link LogPosition}), so a receiver that has handed over
 * every number up to {@code n} has everything the log had at {@code n}. Events arrive from the
 * channel and, when a gap has to be filled, from the log; each is handed over once, in sequence
 * order (which is each publisher's order), and an event after a gap waits until the gap is filled
 * or reported lost.
 *
 * <p>Heartbeats carry the log's sequence as Redis had it when it published them: a heartbeat back
 * through the subscription proves that everything published before it arrived once every number up
 * to its sequence has been handed over — at once, or after a fill. Until then its proof waits.
 *
 * <p>Thread-safe: one lock, under which events are also handed over, so that the order decided is
 * the order delivered.
 */
final class Sequencer {

  /** Where the sequencer hands what it decided; called under its lock. */
  interface Output {

    /** An event, in order, once. */
    void deliver(String message);

    /** Every event published before {@code sentAt} has been handed over (or reported lost). */
    void caughtUp(long sentAt);

    /** Events the log no longer holds are lost; the sequencer starts again after them. */
    void lost(String reason);
  }

  /** A position in the log: the last number handed over and its entry (a hint: not verified). */
  record Position(long seq, String id) {}

  private static final int RECENT = 4_096;
  private static final int MAX_PROOFS = 64;

  /** Events held behind a gap at most: past that, the gap is reported lost rather than held. */
  static final int MAX_AHEAD = 10_000;

  private final Output output;

  /** Asks for the log to be read from {@link #position()}: something is missing. */
  private final Runnable gap;

  /** Events from the channel beyond a gap, by number. */
  private final TreeMap<Long, Waiting> ahead = new TreeMap<>();

  /** Heartbeats whose sequence was not reached yet: {sent, seq, fill}, oldest first. */
  private final ArrayDeque<long[]> proofs = new ArrayDeque<>();

  /** Fills begun: what waits records the count it arrived under. */
  private long fills;

  /** An event beyond a gap and the fill count when it arrived. */
  private record Waiting(LogPosition event, long fill) {}

  /** The entry ids of the last {@link #RECENT} numbers handed over, to recognise a second copy. */
  private final String[] recent = new String[RECENT];

  private long seq;
  private String id;

  Sequencer(Output output, Runnable gap, long seq, String id) {
    this.output = output;
    this.gap = gap;
    this.seq = seq;
    this.id = id;
  }

  synchronized Position position() {
    return new Position(seq, id);
  }

  /** Whether something waits for a fill: events beyond a gap or a proof beyond the sequence. */
  synchronized boolean behind() {
    return !ahead.isEmpty() || !proofs.isEmpty();
  }

  /** A channel copy of one of this log's events. */
  synchronized void fromChannel(LogPosition event) {
    long n = event.seq();
    if (n == seq + 1) {
      handOver(n, event.id(), event.message());
      drain();
    } else if (n > seq + 1) {
      ahead.putIfAbsent(n, new Waiting(event, fills));
      if (ahead.size() > MAX_AHEAD) {
        // The log has not been read for that long (its connection is down, say): hold no more.
        long to = ahead.firstKey() - 1;
        output.lost(
            (to > seq + 1 ? "events " + (seq + 1) + " to " + to : "event " + (seq + 1))
                + " of the bus log were not heard and could not be read from it in time");
        Waiting last = ahead.lastEntry().getValue();
        for (Waiting waiting : ahead.values()) {
          recent[slot(waiting.event.seq())] = waiting.event.id();
          output.deliver(waiting.event.message());
        }
        ahead.clear();
        seq = last.event.seq();
        id = last.event.id();
        proved();
      }
      gap.run();
    } else if (!event.id().equals(recent[slot(n)])) {
      // A number already handed over under another entry: the sequence went back (the log was
      // recreated) or someone sent it who is not the log. Hand it over, as any channel message;
      // the fill that follows checks the log.
      output.deliver(event.message());
      gap.run();
    }
  }

  /**
   * An entry read from the log while filling a gap.
   *
   * @return false if the entry lies beyond a number the log no longer holds (a loss)
   */
  synchronized boolean fromLog(long n, String entry, String message) {
    if (n <= seq) {
      return true;
    }
    if (n != seq + 1) {
      return false;
    }
    handOver(n, entry, message);
    drain();
    return true;
  }

  /**
   * One of the bus's heartbeats came back, sent at {@code sent}, the log's sequence at {@code n}.
   */
  synchronized void heartbeat(long sent, long n) {
    if (n <= seq) {
      // Less is no contradiction: a fill may have handed over events published after it.
      proofs.clear();
      output.caughtUp(sent);
      return;
    }
    if (proofs.size() == MAX_PROOFS) {
      proofs.removeFirst();
    }
    proofs.addLast(new long[] {sent, n, fills});
    gap.run();
  }

  /** A fill starts: it reads the log's sequence next, then the log. */
  synchronized void fillStarts() {
    fills++;
  }

  /**
   * The fill that read the log's sequence as {@code head} has read the log up to it. Whatever had
   * arrived before that fill began claiming a number beyond {@code head} cannot be the log's (the
   * log had not reached it): such an event is handed over as any channel message, such a proof
   * dropped, so that they are not waited for again.
   */
  synchronized void fillEnds(long head) {
    long started = fills;
    java.util.Iterator<Waiting> beyond = ahead.tailMap(head, false).values().iterator();
    while (beyond.hasNext()) {
      Waiting waiting = beyond.next();
      if (waiting.fill < started) {
        beyond.remove();
        output.deliver(waiting.event.message());
      }
    }
    proofs.removeIf(proof -> proof[1] > head && proof[2] < started);
  }

  /**
   * Reports a loss ({@code reason}), then starts again at {@code n}, entry {@code entry}: events up
   * to {@code n} are no longer waited for, and what waited for them is handed over in order.
   */
  synchronized void restart(String reason, long n, String entry) {
    output.lost(reason);
    seq = n;
    id = entry;
    ahead.headMap(n, true).clear();
    proofs.removeIf(proof -> proof[1] > n); // from before the loss: of another sequence, maybe
    java.util.Arrays.fill(recent, null);
    drain();
    proved();
  }

  private void handOver(long n, String entry, String message) {
    seq = n;
    id = entry;
    recent[slot(n)] = entry;
    output.deliver(message);
    proved();
  }

  private void drain() {
    while (!ahead.isEmpty() && ahead.firstKey() <= seq + 1) {
      LogPosition next = ahead.pollFirstEntry().getValue().event;
      if (next.seq() == seq + 1) {
        handOver(next.seq(), next.id(), next.message());
      }
    }
  }

  private void proved() {
    long sent = 0;
    boolean any = false;
    while (!proofs.isEmpty() && proofs.peekFirst()[1] <= seq) {
      sent = proofs.removeFirst()[0];
      any = true;
    }
    if (any) {
      output.caughtUp(sent);
    }
  }

  private static int slot(long n) {
    return (int) Math.floorMod(n, (long) RECENT);
  }
}
