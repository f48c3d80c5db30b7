package io.freshcache;

import io.freshcache.event.StatusMessages;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.stats.CacheStats;
import io.freshcache.stats.GroupStats;
import io.freshcache.stats.InstanceStatus;
import io.freshcache.stats.VerifierStats;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the group's {@link InstanceStatus} on its bus every interval, from a daemon thread of its
 * own, and a last one when the group closes; without a bus, or with no interval, it sends none but
 * still answers {@link CacheGroup#status()}. A status the bus cannot take is dropped, not queued:
 * the next one says everything it would have. Nothing here touches a cache's hot path: the counters
 * are read as {@link CacheGroup#stats()} and {@code analytics()} read them.
 */
final class StatusReport implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusReport.class);

  /** How long close() waits for the last status to reach the bus. */
  private static final long LAST_WORD_MILLIS = 500;

  private final String group;
  private final String instanceId;
  private final InvalidationBus bus;
  private final Duration interval;
  private final Supplier<GroupStats> groupStats;
  private final Dispatch dispatch;
  private final Instant startedAt = Instant.now();

  /** Looked up on the timer's thread, where a slow name service delays nobody. */
  private String host;

  private final long pid = ProcessHandle.current().pid();

  /** Sends the status every interval, or null if this instance sends none. */
  private final ScheduledExecutorService timer;

  StatusReport(
      String group,
      String instanceId,
      InvalidationBus bus,
      Duration interval,
      Supplier<GroupStats> groupStats,
      Dispatch dispatch) {
    this.group = group;
    this.instanceId = instanceId;
    this.bus = bus;
    this.interval = interval;
    this.groupStats = groupStats;
    this.dispatch = dispatch;
    if (bus == null || interval.isZero()) {
      this.timer = null;
      return;
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "freshcache-status-" + group);
              t.setDaemon(true);
              return t;
            });
    long nanos = interval.toNanos();
    timer.scheduleAtFixedRate(() -> send(false), 0, nanos, TimeUnit.NANOSECONDS);
  }

  /** The status now. */
  synchronized InstanceStatus status(boolean closing) {
    if (host == null) {
      host = hostName();
    }
    GroupStats g = groupStats.get();
    CacheStats caches = CacheStats.empty();
    long verified = 0;
    long verifiedStale = 0;
    int count = 0;
    for (GroupMember member : dispatch.members()) {
      count++;
      caches = caches.plus(member.analytics().stats());
      Optional<VerifierStats> v = member.analytics().verification();
      if (v.isPresent()) {
        verified += v.get().checked();
        verifiedStale += v.get().stale();
      }
    }
    return new InstanceStatus(
        instanceId,
        group,
        host,
        pid,
        startedAt,
        Instant.now(),
        interval,
        closing,
        g.live(),
        g.losses(),
        g.suspensions(),
        g.outboxDepth(),
        g.publishFailures(),
        g.lag(),
        count,
        caches.hits(),
        caches.misses(),
        verified,
        verifiedStale);
  }

  private void send(boolean closing) {
    try {
      bus.publish(StatusMessages.TYPE, StatusMessages.encode(status(closing)))
          .exceptionally(
              failure -> {
                log.debug(
                    "group '{}': a status did not reach the bus: {}", group, failure.toString());
                return null;
              })
          .get(closing ? LAST_WORD_MILLIS : interval.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A status is a report: one that could not be sent is superseded by the next.
      log.debug("group '{}': no status sent: {}", group, e.toString());
    }
  }

  /** Stops the timer and sends the last status, marked closing, while the bus is still open. */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(LAST_WORD_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    send(true);
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
