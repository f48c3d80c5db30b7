package io.freshcache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's use of its {@link SharedTier}: bounded waits, the wait for another instance's load, and
 * what a failing tier costs (a count and one log line per burst, never a failed read or a lost
 * local invalidation).
 */
final class SharedLink {

  private static final Logger log = LoggerFactory.getLogger(SharedLink.class);
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The longest a shared entry is kept: an entry that never expires locally is still renewed. */
  static final long MAX_TTL_NANOS = TimeUnit.DAYS.toNanos(1);

  final SharedTier tier;
  private final String group;
  private final Duration holdFor;
  private final long holdNanos;
  private final long timeoutNanos;
  final LongAdder hits = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder unencodable = new LongAdder();
  private volatile boolean failing;

  /** What a lookup came to: a hit, a lease to fill, or neither (load, but do not share). */
  record Found(SharedEntry entry, String lease) {
    static final Found NEITHER = new Found(null, null);
  }

  SharedLink(String group, SharedTier tier, Duration holdFor, Duration timeout) {
    this.group = group;
    this.tier = tier;
    this.holdFor = holdFor;
    this.holdNanos = holdFor.toNanos();
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * Looks the key up; while another instance loads it, polls (2 ms doubling to 50 ms) until its
   * fill lands or its lease passes to us, for at most the lease's hold time. Never throws.
   */
  Found find(String cache, String key) {
    long deadline = System.nanoTime() + holdNanos;
    long backoff = FIRST_BACKOFF_NANOS;
    while (true) {
      SharedLookup found = await(() -> tier.lookup(cache, key, holdFor), "lookup", cache, key);
      if (found == null) {
        return Found.NEITHER;
      }
      if (found.isHit()) {
        hits.increment();
        return new Found(found.entry(), null);
      }
      if (!found.loadingElsewhere()) {
        return new Found(null, found.lease());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        log.debug(
            "group '{}': {}/{} is still loading elsewhere; loading it here", group, cache, key);
        return Found.NEITHER;
      }
      LockSupport.parkNanos(Math.min(backoff, left));
      if (Thread.currentThread().isInterrupted()) {
        return Found.NEITHER;
      }
      backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }
  }

  /** Offers a loaded value under the lease; does not wait for the answer. */
  void fill(String cache, String key, SharedEntry entry, String lease) {
    call(() -> tier.fill(cache, key, entry, lease), "fill", cache, key);
  }

  /** Stores a put; on failure, invalidates the key as a best effort. Waits (bounded). */
  void put(String cache, String key, SharedEntry entry) {
    if (await(() -> tier.put(cache, key, entry), "put", cache, key) == null) {
      call(() -> tier.invalidate(cache, List.of(key)), "invalidate after a failed put", cache, key);
    }
  }

  /** Hands the lease on (drops it if it is still ours, never the entry); does not wait. */
  void release(String cache, String key, String lease) {
    call(() -> tier.release(cache, key, lease), "release", cache, key);
  }

  /** Starts invalidations; {@link #awaitAll} waits for them (bounded). */
  <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> invalidation, String what) {
    return call(invalidation, what, null, null);
  }

  /** Waits for invalidations started with {@link #start}; failures were already counted. */
  void awaitAll(Collection<CompletableFuture<?>> calls) {
    long deadline = System.nanoTime() + timeoutNanos;
    for (CompletableFuture<?> call : calls) {
      try {
        call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        // counted and logged by the call's own handler
      } catch (TimeoutException e) {
        failed("invalidate", null, null, e);
      }
    }
  }

  static long ttlNanos(long lifetime, long staleRetention) {
    return Math.max(
        TimeUnit.MILLISECONDS.toNanos(1),
        Math.min(MAX_TTL_NANOS, Durations.saturatedAdd(lifetime, staleRetention)));
  }

  /** Shares {@code started}'s outcome with the failure count; never throws. */
  private <T> CompletableFuture<T> call(
      Supplier<CompletableFuture<T>> started, String what, String cache, String key) {
    CompletableFuture<T> future;
    try {
      future = started.get();
    } catch (RuntimeException e) {
      failed(what, cache, key, e);
      return CompletableFuture.failedFuture(e);
    }
    return future.whenComplete(
        (done, error) -> {
          if (error != null) {
            failed(what, cache, key, error);
          } else {
            succeeded();
          }
        });
  }

  /** The call's result, or null (counted, logged) if it failed or took longer than the bound. */
  private <T> T await(
      Supplier<CompletableFuture<T>> started, String what, String cache, String key) {
    CompletableFuture<T> future;
    try {
      future = started.get();
      T result = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
      succeeded();
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(what, cache, key, e);
    } catch (ExecutionException e) {
      failed(what, cache, key, e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      failed(what, cache, key, e);
    }
    return null;
  }

  private void succeeded() {
    if (failing) {
      failing = false;
      log.info("group '{}': the shared tier answers again", group);
    }
  }

  private void failed(String what, String cache, String key, Throwable cause) {
    failures.increment();
    if (!failing) {
      failing = true;
      log.warn(
          "group '{}': the shared tier failed ({}{}): {}; reading through to the source and"
              + " counting failures until it answers again",
          group,
          what,
          cache == null ? "" : " of " + cache + "/" + key,
          cause instanceof TimeoutException ? "no answer in time" : String.valueOf(cause));
    } else {
      log.debug("group '{}': the shared tier failed ({}): {}", group, what, String.valueOf(cause));
    }
  }
}
