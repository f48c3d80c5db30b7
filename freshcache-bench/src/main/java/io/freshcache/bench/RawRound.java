package io.freshcache.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer of a freshcache round: the same broker through its plain client ({@link
 * MeasuredBus#raw}), no freshcache. N subscribers, each a connection of its own as a separate
 * process would have; one publisher sends, without waiting for the server, messages that carry the
 * publisher's {@link System#nanoTime()}; each subscriber records its receive time minus that, first
 * thing in its listener (on the client's delivery thread, where the bus's own path also starts).
 */
final class RawRound {

  /**
   * Pads messages to the length of the bus's JSON for one key's invalidation in this harness (156
   * to 158 bytes, as seen with Redis's MONITOR), so both carry the same bytes.
   */
  private static final String PADDING = "x".repeat(138);

  private RawRound() {}

  static RoundResult run(
      MeasuredBus bus, HarnessOptions options, int instances, int round, String runId)
      throws Exception {
    int total = options.total();
    CountDownLatch done = new CountDownLatch(instances);
    List<Subscriber> subscribers = new ArrayList<>();
    AtomicLong lastReceived = new AtomicLong();
    ThreadCpu threads = new ThreadCpu();
    threads.own(ThreadCpu.PUBLISHER, Thread.currentThread());
    String name = "fcbench-raw-" + runId + "-" + instances + "-" + round;
    try (MeasuredBus.RawPeer peer = threads.during(ThreadCpu.PUBLISHER, () -> bus.raw(name))) {
      List<AutoCloseable> connections = new ArrayList<>();
      try {
        for (int i = 0; i < instances; i++) {
          Subscriber subscriber = new Subscriber(options.warmup(), total, done, lastReceived);
          subscribers.add(subscriber);
          connections.add(threads.during(ThreadCpu.RECEIVERS, () -> peer.subscribe(subscriber)));
        }
        Usage.Meter meter = Usage.start(bus.counters(), threads);
        Pacer pacer = new Pacer(options.rate());
        pacer.start();
        long first = System.nanoTime();
        for (int seq = 0; seq < total; seq++) {
          pacer.awaitTurn(seq);
          peer.publish(seq + ":" + System.nanoTime() + ":" + PADDING);
        }
        double rate = pacer.achievedRate(total);
        boolean caughtUp = done.await(options.deadline().toMillis(), TimeUnit.MILLISECONDS);
        Usage usage = meter.stop();

        Lags pooled = new Lags();
        long received = 0;
        for (Subscriber s : subscribers) {
          pooled.add(s.lags);
          received += s.received.get();
        }
        List<String> details = new ArrayList<>(peer.details((long) total * instances));
        if (!caughtUp) {
          details.add("DEADLINE PASSED before every subscriber had every message");
        }
        return new RoundResult(
            "raw",
            instances,
            round,
            pooled,
            (long) total * instances,
            received,
            rate,
            RoundResult.reachedAll(total, first, lastReceived.get(), caughtUp),
            usage,
            details);
      } finally {
        for (AutoCloseable connection : connections) {
          connection.close();
        }
      }
    }
  }

  /** One subscriber standing for one process. */
  private static final class Subscriber implements MeasuredBus.Listener {
    final Lags lags = new Lags();
    final AtomicLong received = new AtomicLong();
    private final int warmup;
    private final int total;
    private final CountDownLatch done;
    private final AtomicLong lastReceived;

    Subscriber(int warmup, int total, CountDownLatch done, AtomicLong lastReceived) {
      this.warmup = warmup;
      this.total = total;
      this.done = done;
      this.lastReceived = lastReceived;
    }

    @Override
    public void message(String message) {
      long now = System.nanoTime();
      int first = message.indexOf(':');
      int second = message.indexOf(':', first + 1);
      long seq = Long.parseLong(message, 0, first, 10);
      long sent = Long.parseLong(message, first + 1, second, 10);
      if (seq >= warmup) {
        lags.record(now - sent);
      }
      lastReceived.accumulateAndGet(now, Math::max);
      if (received.incrementAndGet() == total) {
        done.countDown();
      }
    }
  }
}
