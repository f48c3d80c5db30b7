package io.freshcache.cli.simulate;

import io.freshcache.Expiry;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.Refresh;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The time-based strategies {@code freshcache simulate} compares, each an expiry and refresh
 * configuration of one instance's in-process cache, plus {@code no-cache} as the baseline. Their
 * order is the order of the report.
 */
enum TimeStrategy implements Strategy {
  NO_CACHE("no-cache", "no cache at all: every read runs the SELECT") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      throw new UnsupportedOperationException("no-cache builds no cache");
    }
  },
  TTL("ttl", "ttl(30s)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder.expiry(Expiry.ttl(THIRTY_SECONDS));
    }
  },
  TTL_JITTER("ttl+jitter", "ttl(30s).jitter(0.2)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder.expiry(Expiry.ttl(THIRTY_SECONDS).jitter(0.2, rnd));
    }
  },
  ADAPTIVE("adaptive", "adaptive(30s).volatility(0.5)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder.expiry(Expiry.adaptive(THIRTY_SECONDS).volatility(0.5));
    }
  },
  SLIDING("sliding", "sliding(10s, 60s)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder.expiry(Expiry.sliding(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    }
  },
  REFRESH_AHEAD("refresh-ahead", "ttl(30s) + Refresh.ahead(0.8)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder.expiry(Expiry.ttl(THIRTY_SECONDS)).refresh(Refresh.ahead(0.8));
    }
  },
  PROBABILISTIC("probabilistic", "ttl(30s) + Refresh.probabilistic(1.0)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder.expiry(Expiry.ttl(THIRTY_SECONDS)).refresh(Refresh.probabilistic(1.0, rnd));
    }
  },
  STALE_WHILE_REVALIDATE(
      "stale-while-revalidate", "ttl(30s) + Refresh.none().staleWhileRevalidate(10s)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder
          .expiry(Expiry.ttl(THIRTY_SECONDS))
          .refresh(Refresh.none().staleWhileRevalidate(Duration.ofSeconds(10)));
    }
  },
  STALE_IF_ERROR("stale-if-error", "ttl(30s) + Refresh.none().staleIfError(60s)") {
    @Override
    <K, V> FreshCacheBuilder<K, V> configure(FreshCacheBuilder<K, V> builder, DoubleSupplier rnd) {
      return builder
          .expiry(Expiry.ttl(THIRTY_SECONDS))
          .refresh(Refresh.none().staleIfError(Duration.ofSeconds(60)));
    }
  };

  private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

  private final String label;
  private final String description;

  TimeStrategy(String label, String description) {
    this.label = label;
    this.description = description;
  }

  @Override
  public String label() {
    return label;
  }

  /** The configuration, as calls of the freshcache API ({@code Expiry.} left out for brevity). */
  @Override
  public String description() {
    return description;
  }

  /** Whether this strategy puts a cache in front of the source; only {@code no-cache} does not. */
  boolean usesCache() {
    return this != NO_CACHE;
  }

  /**
   * Sets this strategy's expiry and refresh on {@code builder}.
   *
   * @param random the draws of jitter and of probabilistic refresh, uniform in {@code [0, 1)};
   *     seeded by the caller so that runs repeat
   * @throws UnsupportedOperationException for {@code no-cache}
   */
  abstract <K, V> FreshCacheBuilder<K, V> configure(
      FreshCacheBuilder<K, V> builder, DoubleSupplier random);

  /** A name a cache accepts: letters, digits and dashes. */
  String cacheName() {
    return "simulate-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
