package io.freshcache.jcache;

import java.util.function.Supplier;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a cache's {@link ExpiryPolicy} into expiry times on the cache's clock (nanoseconds of its
 * ticker), with the specification's meaning of each answer: {@link Duration#ZERO} expires the entry
 * at once, {@link Duration#ETERNAL} never, and {@code null} for an access or an update leaves the
 * entry's expiry time as it was. A policy that throws is logged once and treated as {@code null}
 * (or, for a creation, as eternal).
 */
final class ExpiryRules {

  private static final Logger log = LoggerFactory.getLogger(ExpiryRules.class);

  /** "Leave the expiry time as it is", returned for an access or an update. */
  static final long UNCHANGED = Long.MIN_VALUE + 1;

  private final String cacheName;
  private final ExpiryPolicy policy;
  private volatile boolean warned;

  ExpiryRules(String cacheName, ExpiryPolicy policy) {
    this.cacheName = cacheName;
    this.policy = policy;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** The expiry time of an entry created at {@code now}; {@link Record#EXPIRED} for ZERO. */
  long onCreation(long now) {
    Duration d = ask(policy::getExpiryForCreation, "creation");
    return d == null ? Record.ETERNAL : at(now, d);
  }

  /** The new expiry time of an entry read at {@code now}, or {@link #UNCHANGED}. */
  long onAccess(long now) {
    Duration d = ask(policy::getExpiryForAccess, "access");
    return d == null ? UNCHANGED : at(now, d);
  }

  /** The new expiry time of an entry replaced at {@code now}, or {@link #UNCHANGED}. */
  long onUpdate(long now) {
    Duration d = ask(policy::getExpiryForUpdate, "update");
    return d == null ? UNCHANGED : at(now, d);
  }

  private Duration ask(Supplier<Duration> question, String what) {
    try {
      return question.get();
    } catch (RuntimeException e) {
      if (!warned) {
        warned = true;
        log.warn(
            "cache '{}': the expiry policy failed on {}; the entry keeps its expiry time"
                + " (eternal for a new entry)",
            cacheName,
            what,
            e);
      }
      return null;
    }
  }

  private static long at(long now, Duration d) {
    if (d.isEternal()) {
      return Record.ETERNAL;
    }
    if (d.isZero()) {
      return Record.EXPIRED;
    }
    long nanos = d.getTimeUnit().toNanos(d.getDurationAmount());
    try {
      return Math.max(Math.addExact(now, nanos), UNCHANGED + 1);
    } catch (ArithmeticException beyondTheClock) {
      return Record.ETERNAL - 1;
    }
  }
}
