package io.freshcache;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's use of its {@link SharedTier}: bounded waits, the wait for another instance's load, and
 * what a failing tier costs (a count and one log line per burst, never a failed read or a lost
 * invalidation).
 *
 * <p>A circuit breaker keeps a stalled or dead tier from costing every call its timeout: after a
 * failure the link skips the tier (reads go to the source, tier changes go to the group's outbox)
 * and lets one call through per probe interval; the first that succeeds closes the breaker again.
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
  final LongAdder skipped = new LongAdder();
  private final long probeNanos;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean failing;

  /** When the breaker lets the next probe through (System.nanoTime); meaningless while closed. */
  private volatile long probeAt;

  /** What a lookup came to: a hit, a lease to fill, or neither (load, but do not share). */
  record Found(SharedEntry entry, String lease) {
    static final Found NEITHER = new Found(null, null);
  }

  SharedLink(
      String group, SharedTier tier, Duration holdFor, Duration timeout, Duration probeInterval) {
    this.group = group;
    this.tier = tier;
    this.holdFor = holdFor;
    this.holdNanos = holdFor.toNanos();
    this.timeoutNanos = timeout.toNanos();
    this.probeNanos = probeInterval.toNanos();
  }

  /** Whether the breaker is open: the tier failed and has not answered since. */
  boolean isOpen() {
    return failing;
  }

  /**
   * Whether a call may go to the tier now: always while the breaker is closed; while it is open,
   * one call per probe interval. A call let through must end in {@link #succeeded} or {@link
   * #failed}.
   */
  private boolean admits() {
    if (!failing) {
      return true;
    }
    if (System.nanoTime() - probeAt >= 0 && probing.compareAndSet(false, true)) {
      return true;
    }
    skipped.increment();
    return false;
  }

  /**
   * Looks the key up; while another instance loads it, polls (2 ms doubling to 50 ms) until its
   * fill lands or its lease passes to us, for at most the lease's hold time. Waits on this thread,
   * for at most the timeout per lookup: the first lookup costs no timer. Never throws.
   */
  Found find(String cache, String key) {
    long deadline = System.nanoTime() + holdNanos;
    if (!admits()) {
      return Found.NEITHER;
    }
    CompletableFuture<SharedLookup> lookup;
    try {
      lookup = tier.lookup(cache, key, holdFor);
    } catch (RuntimeException e) {
      failed("lookup", cache, key, e);
      return Found.NEITHER;
    }
    SharedLookup found = awaitLookup(lookup, "lookup", cache, key);
    if (found == null) {
      return Found.NEITHER;
    }
    Found answer = answer(cache, key, found, deadline);
    return answer != null ? answer : join(later(cache, key, deadline, FIRST_BACKOFF_NANOS));
  }

  /** The lookup's answer, waited for on this thread (bounded); null if it failed (counted). */
  private <T> T awaitLookup(CompletableFuture<T> lookup, String what, String cache, String key) {
    try {
      T found = lookup.get(timeoutNanos, TimeUnit.NANOSECONDS);
      if (found == null) {
        throw new IllegalStateException("the tier answered a " + what + " with null");
      }
      return found;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(what, cache, key, e);
    } catch (ExecutionException e) {
      failed(what, cache, key, e.getCause() != null ? e.getCause() : e);
    } catch (TimeoutException | RuntimeException e) {
      failed(what, cache, key, e);
    }
    return null;
  }

  /**
   * What a lookup that answered comes to: a hit, a lease, or NEITHER once the hold time has passed
   * with the key still loading elsewhere; null if it is still loading elsewhere and the key is to
   * be looked up again.
   */
  private Found answer(String cache, String key, SharedLookup found, long deadline) {
    succeeded();
    if (found.isHit()) {
      hits.increment();
      return new Found(found.entry(), null);
    }
    if (!found.loadingElsewhere()) {
      return new Found(null, found.lease());
    }
    if (deadline - System.nanoTime() <= 0) {
      log.debug("group '{}': {}/{} is still loading elsewhere; loading it here", group, cache, key);
      return Found.NEITHER;
    }
    return null;
  }

  /**
   * The answer of a lookup started by {@link #findAsync}; NEITHER if this thread is interrupted.
   */
  private static Found join(CompletableFuture<Found> lookup) {
    try {
      return lookup.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Found.NEITHER;
    } catch (ExecutionException e) {
      return Found.NEITHER; // findAsync never fails; kept total all the same
    }
  }

  /**
   * As {@link #find}, without holding a thread: the lookup's answer completes the result, and a key
   * another instance is loading is looked up again after the same backoff, scheduled rather than
   * slept. Callbacks run on the thread that completes the tier's future (for Redis, its I/O thread)
   * and do little. Never completes exceptionally.
   */
  CompletableFuture<Found> findAsync(String cache, String key) {
    return findAsync(cache, key, System.nanoTime() + holdNanos, FIRST_BACKOFF_NANOS);
  }

  private CompletableFuture<Found> findAsync(
      String cache, String key, long deadline, long backoff) {
    if (!admits()) {
      return CompletableFuture.completedFuture(Found.NEITHER);
    }
    CompletableFuture<SharedLookup> lookup;
    try {
      lookup = tier.lookup(cache, key, holdFor).toCompletableFuture();
    } catch (RuntimeException e) {
      failed("lookup", cache, key, e);
      return CompletableFuture.completedFuture(Found.NEITHER);
    }
    return lookup
        .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
        .handle(
            (found, error) -> {
              if (error == null && found == null) {
                error = new IllegalStateException("the tier answered a lookup with null");
              }
              if (error != null) {
                failed(
                    "lookup",
                    cache,
                    key,
                    error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null
                        ? error.getCause()
                        : error);
                return CompletableFuture.completedFuture(Found.NEITHER);
              }
              Found answer = answer(cache, key, found, deadline);
              return answer != null
                  ? CompletableFuture.completedFuture(answer)
                  : later(cache, key, deadline, backoff);
            })
        .thenCompose(next -> next);
  }

  /** Looks the key up again after {@code backoff} (or what is left of the hold time). */
  private CompletableFuture<Found> later(String cache, String key, long deadline, long backoff) {
    long left = Math.max(0, deadline - System.nanoTime());
    java.util.concurrent.Executor later =
        CompletableFuture.delayedExecutor(Math.min(backoff, left), TimeUnit.NANOSECONDS);
    return CompletableFuture.runAsync(() -> {}, later)
        .thenCompose(
            waited -> findAsync(cache, key, deadline, Math.min(MAX_BACKOFF_NANOS, backoff * 2)));
  }

  /**
   * Looks several keys of one cache up at once, in one {@link SharedTier#lookupAll} (one round trip
   * on Redis); a key that is loading elsewhere is then polled for as {@link #find} does, all such
   * keys at once. Waits on this thread for {@link #findAllAsync}. Never throws; one {@link Found}
   * per key, in order.
   */
  List<Found> findAll(String cache, List<String> keys) {
    try {
      return findAllAsync(cache, keys).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // findAllAsync never fails; kept total all the same
    }
    return Collections.nCopies(keys.size(), Found.NEITHER);
  }

  /**
   * As {@link #findAll}, without holding a thread: callbacks run on the thread that completes the
   * tier's future. One timer for the whole batch. Never completes exceptionally.
   */
  CompletableFuture<List<Found>> findAllAsync(String cache, List<String> keys) {
    long deadline = System.nanoTime() + holdNanos;
    List<Found> neither = Collections.nCopies(keys.size(), Found.NEITHER);
    if (!admits()) {
      return CompletableFuture.completedFuture(neither);
    }
    CompletableFuture<List<SharedLookup>> lookups;
    try {
      lookups = tier.lookupAll(cache, keys, holdFor).toCompletableFuture();
    } catch (RuntimeException e) {
      failed("lookupAll", cache, keys.get(0), e);
      return CompletableFuture.completedFuture(neither);
    }
    return lookups
        .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
        .handle(
            (answers, error) -> {
              if (error == null && (answers == null || answers.size() != keys.size())) {
                error =
                    new IllegalStateException(
                        "the tier answered "
                            + (answers == null ? "null" : answers.size() + " lookups")
                            + " for "
                            + keys.size()
                            + " keys");
              }
              if (error != null) {
                failed(
                    "lookupAll",
                    cache,
                    keys.get(0),
                    error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null
                        ? error.getCause()
                        : error);
                return CompletableFuture.completedFuture(neither);
              }
              List<Found> found = new ArrayList<>(keys.size());
              Map<Integer, CompletableFuture<Found>> waiting = new LinkedHashMap<>();
              for (int i = 0; i < keys.size(); i++) {
                SharedLookup answer = answers.get(i);
                Found decided =
                    answer == null ? Found.NEITHER : answer(cache, keys.get(i), answer, deadline);
                if (decided == null) {
                  waiting.put(i, later(cache, keys.get(i), deadline, FIRST_BACKOFF_NANOS));
                }
                found.add(decided);
              }
              if (waiting.isEmpty()) {
                return CompletableFuture.completedFuture(found);
              }
              return CompletableFuture.allOf(waiting.values().toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        waiting.forEach((i, later) -> found.set(i, later.join()));
                        return found;
                      });
            })
        .thenCompose(next -> next);
  }

  /** Offers a loaded value under the lease; does not wait for the answer. */
  void fill(String cache, String key, SharedEntry entry, String lease) {
    call(() -> tier.fill(cache, key, entry, lease), "fill", cache, key, false);
  }

  /**
   * Stores a put; waits (bounded). False if the tier did not take it: the caller then owes the tier
   * an invalidation of the key (its old value may still be there).
   */
  boolean put(String cache, String key, SharedEntry entry) {
    return await(() -> tier.put(cache, key, entry), "put", cache, key, false) != null;
  }

  /** Hands the lease on (drops it if it is still ours, never the entry); does not wait. */
  void release(String cache, String key, String lease) {
    call(() -> tier.release(cache, key, lease), "release", cache, key, false);
  }

  /**
   * Starts an invalidation; {@link #awaitAll} waits for it (bounded). With the breaker open it is
   * not sent (unless {@code force}) and its future fails at once.
   */
  <T> CompletableFuture<T> start(
      Supplier<CompletableFuture<T>> invalidation, String what, boolean force) {
    return call(invalidation, what, null, null, force);
  }

  /**
   * Waits for invalidations started with {@link #start}; failures were already counted. True if
   * every one of them was done in time.
   */
  boolean awaitAll(Collection<CompletableFuture<?>> calls) {
    long deadline = System.nanoTime() + timeoutNanos;
    boolean done = true;
    for (CompletableFuture<?> call : calls) {
      try {
        call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException e) {
        done = false; // counted and logged by the call's own handler
      } catch (TimeoutException e) {
        failed("invalidate", null, null, e);
        done = false;
      }
    }
    return done;
  }

  /** The failure of a call the open breaker kept from being sent. */
  private static final RuntimeException BREAKER_OPEN = new BreakerOpen();

  private static final class BreakerOpen extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BreakerOpen() {
      super("the shared tier is failing: not sent (circuit breaker open)", null, false, false);
    }
  }

  static long ttlNanos(long lifetime, long staleRetention) {
    return Math.max(
        TimeUnit.MILLISECONDS.toNanos(1),
        Math.min(MAX_TTL_NANOS, Durations.saturatedAdd(lifetime, staleRetention)));
  }

  /** Shares {@code started}'s outcome with the failure count and the breaker; never throws. */
  private <T> CompletableFuture<T> call(
      Supplier<CompletableFuture<T>> started,
      String what,
      String cache,
      String key,
      boolean force) {
    if (!force && !admits()) {
      return CompletableFuture.failedFuture(BREAKER_OPEN);
    }
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

  /**
   * The call's result, or null (counted, logged) if it failed, took longer than the bound, or the
   * breaker kept it from being sent.
   */
  private <T> T await(
      Supplier<CompletableFuture<T>> started,
      String what,
      String cache,
      String key,
      boolean force) {
    if (!force && !admits()) {
      return null;
    }
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
    probing.set(false);
    if (failing) {
      failing = false;
      log.info("group '{}': the shared tier answers again", group);
    }
  }

  private void failed(String what, String cache, String key, Throwable cause) {
    failures.increment();
    probeAt = System.nanoTime() + probeNanos;
    probing.set(false);
    if (!failing) {
      failing = true;
      log.warn(
          "group '{}': the shared tier failed ({}{}): {}; reading through to the source, queueing"
              + " tier changes in the outbox, and trying the tier again once every {} ms until it"
              + " answers",
          group,
          what,
          cache == null ? "" : " of " + cache + "/" + key,
          cause instanceof TimeoutException ? "no answer in time" : String.valueOf(cause),
          TimeUnit.NANOSECONDS.toMillis(probeNanos));
    } else {
      log.debug("group '{}': the shared tier failed ({}): {}", group, what, String.valueOf(cause));
    }
  }
}
