package io.freshcache.bench;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.stats.GroupStats;
import io.freshcache.stats.PropagationLag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * freshcache over the measured bus: N receiving {@link CacheGroup}s, each on a bus of its own
 * ({@link MeasuredBus#connect}: its own connections and threads, so they stand for N processes),
 * one cache each, filled with one entry per event; one more instance publishes {@code
 * invalidateKeys(key)} once per event.
 *
 * <p>The headline lag is taken by an {@link io.freshcache.event.EventHandler} subscribed to {@code
 * *} on each receiving group: the group runs it right after it applied the event, so {@code
 * System.nanoTime()} there, minus the publisher's {@code System.nanoTime()} taken just before
 * {@code invalidateKeys}, is the publish-to-applied lag on one clock. Beside it each group's own
 * {@link GroupStats#lag()} (wall-clock, from the event's timestamp), over the same events.
 */
final class FreshCacheRound {

  private static final String EVENT_KEY = "e:";
  private static final String READER_THREAD = "freshcache-bus-log-";

  private FreshCacheRound() {}

  static RoundResult run(
      MeasuredBus bus, HarnessOptions options, int instances, int round, String runId)
      throws Exception {
    String namespace = "fcbench-" + runId + "-" + instances + "-" + round;
    int total = options.total();
    AtomicLongArray sentAt = new AtomicLongArray(total);
    CountDownLatch done = new CountDownLatch(instances);
    AtomicLong lastApplied = new AtomicLong();
    List<Instance> receivers = new ArrayList<>();
    Instance publisher = null;
    ThreadCpu threads = new ThreadCpu();
    threads.own(ThreadCpu.PUBLISHER, Thread.currentThread());
    try {
      for (int i = 0; i < instances; i++) {
        String id = "recv-" + i;
        Instance receiver =
            threads.during(ThreadCpu.RECEIVERS, () -> new Instance(bus, namespace, id));
        receivers.add(receiver);
        receiver.listen(options.warmup(), total, sentAt, done, lastApplied);
      }
      publisher = threads.during(ThreadCpu.PUBLISHER, () -> new Instance(bus, namespace, "pub"));
      for (Instance instance : all(receivers, publisher)) {
        for (int seq = 0; seq < total; seq++) {
          instance.cache.get(key(seq)); // a load: stored here, nothing published
        }
      }
      long filled = receivers.stream().mapToLong(r -> r.cache.estimatedSize()).min().orElse(0);
      String idle = idle(bus.counters());

      Lags publishCalls = new Lags();
      Usage.Meter meter = Usage.start(bus.counters(), threads);
      Pacer pacer = new Pacer(options.rate());
      pacer.start();
      long first = System.nanoTime();
      for (int seq = 0; seq < total; seq++) {
        pacer.awaitTurn(seq);
        String key = key(seq);
        long sent = System.nanoTime();
        sentAt.set(seq, sent);
        if (options.viaCache()) {
          publisher.cache.invalidate(key);
        } else {
          publisher.group.invalidateKeys(key);
        }
        if (seq >= options.warmup()) {
          publishCalls.record(System.nanoTime() - sent);
        }
      }
      double rate = pacer.achievedRate(total);
      boolean caughtUp = done.await(options.deadline().toMillis(), TimeUnit.MILLISECONDS);
      Usage usage = meter.stop();

      Lags pooled = new Lags();
      long received = 0;
      for (Instance r : receivers) {
        pooled.add(r.measured);
        received += r.handled.get();
      }
      List<String> details =
          details(bus, receivers, publisher, publishCalls, filled, total, caughtUp);
      details.add(idle);
      return new RoundResult(
          "freshcache",
          instances,
          round,
          pooled,
          (long) total * instances,
          received,
          rate,
          RoundResult.reachedAll(total, first, lastApplied.get(), caughtUp),
          usage,
          details);
    } finally {
      for (Instance instance : all(receivers, publisher)) {
        instance.close();
      }
      if (publisher != null) {
        bus.cleanUp(publisher.bus);
      }
    }
  }

  private static List<String> details(
      MeasuredBus bus,
      List<Instance> receivers,
      Instance publisher,
      Lags publishCalls,
      long filled,
      int total,
      boolean caughtUp) {
    List<String> lines = new ArrayList<>();
    long applied = 0;
    long viaStream = 0;
    long stale = 0;
    long malformed = 0;
    long foreign = 0;
    long losses = 0;
    long suspensions = 0;
    long handlerFailures = 0;
    List<String> crossCheck = new ArrayList<>();
    for (Instance r : receivers) {
      GroupStats stats = r.group.stats();
      applied += stats.applied();
      viaStream += r.viaStream.get();
      malformed += stats.malformed();
      foreign += stats.foreign();
      losses += stats.losses();
      suspensions += stats.suspensions();
      handlerFailures += stats.handlerFailures();
      for (int seq = 0; seq < total; seq++) {
        if (r.cache.analytics().key(key(seq)).isPresent()) {
          stale++;
        }
      }
      PropagationLag lag = stats.lag();
      crossCheck.add(
          String.format(
              Locale.ROOT,
              "    %-7s GroupStats.lag(): n %d p50 %d p99 %d max %d | handler: n %d p50 %s p99 %s"
                  + " max %s",
              r.group.instanceId(),
              lag.count(),
              lag.p50Micros(),
              lag.p99Micros(),
              lag.maxMicros(),
              r.all.count(),
              Lags.format(r.all.micros(50)),
              Lags.format(r.all.micros(99)),
              Lags.format(r.all.maxMicros())));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "receivers: each held >= %d entries before the first event; applied %d of %d;"
                + " entries still cached after their event: %d%s",
            filled,
            applied,
            (long) total * receivers.size(),
            stale,
            caughtUp ? "" : "; DEADLINE PASSED before every receiver had applied every event"));
    if (bus instanceof MeasuredRedis) {
      lines.add(
          String.format(
              Locale.ROOT,
              "first copy to arrive: channel %d, stream %d (the other copy was dropped as a"
                  + " duplicate; applied counts each event once)",
              applied - viaStream,
              viaStream));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "malformed %d, foreign %d, losses %d, suspensions %d, handler failures %d",
            malformed,
            foreign,
            losses,
            suspensions,
            handlerFailures));
    lines.add(
        String.format(
            Locale.ROOT,
            "publisher: published %d, bus publish failures %d; invalidateKeys() call itself: %s",
            publisher.group.stats().published(),
            publisher.group.stats().publishFailures(),
            publishCalls.summary()));
    lines.add("cross-check per receiver, all events including warm-up, µs:");
    lines.addAll(crossCheck);
    return lines;
  }

  /** What the buses cost with nothing to carry: one second before the first event. */
  private static String idle(RedisCounters counters) throws InterruptedException {
    Usage.Meter meter = Usage.start(counters);
    Thread.sleep(1_000);
    Usage idle = meter.stop();
    if (idle.redis() == null) {
      return String.format(
          Locale.ROOT,
          "idle, the second before the first event: this JVM %.0f ms CPU/s (JIT included),"
              + " some task waiting for a core %.0f%% of the time",
          idle.jvmCpuSeconds() * 1e3 / idle.wallSeconds(),
          100 * idle.pressure());
    }
    StringBuilder calls = new StringBuilder();
    idle.redis()
        .calls()
        .forEach(
            (command, n) ->
                calls.append(
                    String.format(Locale.ROOT, " %s %.0f/s", command, n / idle.wallSeconds())));
    return String.format(
        Locale.ROOT,
        "idle, the second before the first event: this JVM %.0f ms CPU/s (JIT included),"
            + " Redis %.0f ms CPU/s, some task waiting for a core %.0f%% of the time; commands%s",
        idle.jvmCpuSeconds() * 1e3 / idle.wallSeconds(),
        idle.redis().cpuSeconds() * 1e3 / idle.wallSeconds(),
        100 * idle.pressure(),
        calls);
  }

  static String key(int seq) {
    return EVENT_KEY + seq;
  }

  private static List<Instance> all(List<Instance> receivers, Instance publisher) {
    List<Instance> all = new ArrayList<>(receivers);
    if (publisher != null) {
      all.add(publisher);
    }
    return all;
  }

  /** One instance of the application: a bus, a group, a cache. */
  private static final class Instance {
    final InvalidationBus bus;
    final CacheGroup group;
    final FreshCache<String, String> cache;
    final Lags measured = new Lags();
    final Lags all = new Lags();
    final AtomicLong handled = new AtomicLong();
    final AtomicLong viaStream = new AtomicLong();

    Instance(MeasuredBus measured, String namespace, String id) {
      bus = measured.connect(namespace, id);
      try {
        group = CacheGroup.builder(namespace).instanceId(id).bus(bus).build();
        cache = group.cache("c", String.class, String.class).source(key -> "v").build();
      } catch (RuntimeException e) {
        bus.close();
        throw e;
      }
    }

    void listen(
        int warmup, int total, AtomicLongArray sentAt, CountDownLatch done, AtomicLong last) {
      group.subscribe(
          "*",
          event -> {
            applied(event, warmup, total, sentAt, done, last);
            return List.of();
          });
    }

    private void applied(
        InvalidationEvent event,
        int warmup,
        int total,
        AtomicLongArray sentAt,
        CountDownLatch done,
        AtomicLong last) {
      long now = System.nanoTime();
      if (!(event.invalidation() instanceof Invalidation.Keys keys)) {
        return;
      }
      String key = keys.keys().get(0);
      if (!key.startsWith(EVENT_KEY)) {
        return;
      }
      int seq = Integer.parseInt(key, EVENT_KEY.length(), key.length(), 10);
      long lag = now - sentAt.get(seq);
      all.record(lag);
      if (seq >= warmup) {
        measured.record(lag);
      }
      // The group runs handlers on the thread that delivered the event: the stream reader's, or
      // Lettuce's event loop for the channel.
      if (Thread.currentThread().getName().startsWith(READER_THREAD)) {
        viaStream.incrementAndGet();
      }
      last.accumulateAndGet(now, Math::max);
      if (handled.incrementAndGet() == total) {
        done.countDown();
      }
    }

    void close() {
      try {
        group.close();
      } finally {
        bus.close();
      }
    }
  }
}
