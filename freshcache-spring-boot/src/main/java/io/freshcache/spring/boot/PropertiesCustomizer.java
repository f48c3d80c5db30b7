package io.freshcache.spring.boot;

import io.freshcache.Expiry;
import io.freshcache.Refresh;
import io.freshcache.spring.CacheSpec;
import io.freshcache.spring.FreshCacheConfigurationException;
import io.freshcache.spring.FreshCacheCustomizer;
import io.freshcache.spring.boot.FreshCacheProperties.CacheSettings;
import java.time.Duration;
import java.util.Map;

/**
 * Applies {@code freshcache.defaults.*} and then {@code freshcache.caches.<name>.*} to each cache's
 * spec, checking every value and naming the property of one that cannot work.
 */
final class PropertiesCustomizer implements FreshCacheCustomizer {

  static final String DEFAULTS = "freshcache.defaults";
  static final String CACHES = "freshcache.caches";

  private final CacheSettings defaults;
  private final Map<String, CacheSettings> caches;

  PropertiesCustomizer(FreshCacheProperties properties) {
    this.defaults = properties.getDefaults();
    this.caches = properties.getCaches();
  }

  /** Checks every configured value now, so a bad one fails startup even if no cache uses it. */
  void validate() {
    apply(new Probe(), DEFAULTS, defaults, null);
    caches.forEach((name, settings) -> apply(new Probe(), CACHES + "." + name, settings, defaults));
  }

  @Override
  public void customize(CacheSpec spec) {
    CacheSettings own = caches.get(spec.name());
    if (own == null) {
      apply(new Target(spec), DEFAULTS, defaults, null);
    } else {
      apply(new Target(spec), CACHES + "." + spec.name(), own, defaults);
    }
  }

  /**
   * The check that runs after every customizer: refresh and stale windows set by a property need a
   * source, which only code can give.
   */
  FreshCacheCustomizer sourceCheck() {
    return spec -> {
      if (!spec.hasRefresh() || spec.hasSource()) {
        return;
      }
      CacheSettings own = caches.get(spec.name());
      String property = refreshProperty(own != null ? CACHES + "." + spec.name() : DEFAULTS, own);
      if (property == null) {
        return; // set by code: the manager names the cache and the fix
      }
      throw new FreshCacheConfigurationException(
          property,
          "refresh and stale windows reload entries in the background from the cache's source,"
              + " but cache '"
              + spec.name()
              + "' has none (Spring's loads call the annotated method, which a background reload"
              + " cannot)",
          "give the cache a source in a FreshCacheCustomizer (spec.source(key -> ...)), or drop"
              + " the property");
    };
  }

  private String refreshProperty(String prefix, CacheSettings own) {
    for (CacheSettings s :
        own == null ? new CacheSettings[] {defaults} : new CacheSettings[] {own, defaults}) {
      String at = s == defaults ? DEFAULTS : prefix;
      if (s.getRefreshAhead() != null) {
        return at + ".refresh-ahead";
      }
      if (s.getStaleWhileRevalidate() != null) {
        return at + ".stale-while-revalidate";
      }
      if (s.getStaleIfError() != null) {
        return at + ".stale-if-error";
      }
    }
    return null;
  }

  /** What settings are applied to: a spec, or nothing (to validate). */
  private interface Sink {
    void expiry(Expiry<? super String, ? super Object> expiry);

    void maximumSize(long size);

    void refresh(Refresh refresh);

    void nullTtl(Duration ttl);

    void allowNullValues(boolean allow);

    void keyPrefix(String prefix);

    void valueType(Class<?> type);
  }

  private static final class Probe implements Sink {
    @Override
    public void expiry(Expiry<? super String, ? super Object> expiry) {}

    @Override
    public void maximumSize(long size) {}

    @Override
    public void refresh(Refresh refresh) {}

    @Override
    public void nullTtl(Duration ttl) {}

    @Override
    public void allowNullValues(boolean allow) {}

    @Override
    public void keyPrefix(String prefix) {}

    @Override
    public void valueType(Class<?> type) {}
  }

  private record Target(CacheSpec spec) implements Sink {
    @Override
    public void expiry(Expiry<? super String, ? super Object> expiry) {
      spec.expiry(expiry);
    }

    @Override
    public void maximumSize(long size) {
      spec.maximumSize(size);
    }

    @Override
    public void refresh(Refresh refresh) {
      spec.refresh(refresh);
    }

    @Override
    public void nullTtl(Duration ttl) {
      spec.nullTtl(ttl);
    }

    @Override
    public void allowNullValues(boolean allow) {
      spec.allowNullValues(allow);
    }

    @Override
    public void keyPrefix(String prefix) {
      spec.keyPrefix(prefix);
    }

    @Override
    public void valueType(Class<?> type) {
      spec.valueType(type);
    }
  }

  /** Applies {@code own}, each setting falling back to {@code fallback}'s (null: none). */
  private static void apply(Sink sink, String prefix, CacheSettings own, CacheSettings fallback) {
    Duration ttl = pick(own.getTtl(), fallback == null ? null : fallback.getTtl());
    String ttlAt = own.getTtl() != null || fallback == null ? prefix + ".ttl" : DEFAULTS + ".ttl";
    Double jitter = pick(own.getJitter(), fallback == null ? null : fallback.getJitter());
    Long maximumSize =
        pick(own.getMaximumSize(), fallback == null ? null : fallback.getMaximumSize());
    Double ahead =
        pick(own.getRefreshAhead(), fallback == null ? null : fallback.getRefreshAhead());
    Duration swr =
        pick(
            own.getStaleWhileRevalidate(),
            fallback == null ? null : fallback.getStaleWhileRevalidate());
    Duration sie =
        pick(own.getStaleIfError(), fallback == null ? null : fallback.getStaleIfError());
    Duration nullTtl = pick(own.getNullTtl(), fallback == null ? null : fallback.getNullTtl());
    Boolean allowNull =
        pick(own.getAllowNullValues(), fallback == null ? null : fallback.getAllowNullValues());

    if (ttl != null) {
      positive(ttlAt, ttl, "TTL", "10m");
      Expiry<String, Object> expiry = Expiry.ttl(ttl);
      if (jitter != null) {
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
          throw new FreshCacheConfigurationException(
              prefix + ".jitter",
              "a jitter of " + jitter + " is outside 0 to 1",
              "give the fraction TTLs spread over, e.g. 0.2 for ±20%");
        }
        expiry = expiry.jitter(jitter);
      }
      sink.expiry(expiry);
    } else if (jitter != null) {
      throw new FreshCacheConfigurationException(
          prefix + ".jitter",
          "jitter spreads a TTL, but the cache has none",
          "set " + prefix + ".ttl too, or drop the jitter");
    }
    if (maximumSize != null) {
      if (maximumSize < 0) {
        throw new FreshCacheConfigurationException(
            prefix + ".maximum-size",
            "a maximum size of " + maximumSize + " is negative",
            "give the most entries to hold, e.g. 10000, or leave it out for no bound");
      }
      sink.maximumSize(maximumSize);
    }
    Refresh refresh = null;
    if (ahead != null) {
      if (!(ahead > 0.0 && ahead < 1.0)) {
        throw new FreshCacheConfigurationException(
            prefix + ".refresh-ahead",
            "a refresh-ahead of " + ahead + " is outside (0, 1)",
            "give the fraction of the TTL after which entries reload, e.g. 0.8");
      }
      refresh = Refresh.ahead(ahead);
    }
    if (swr != null) {
      positive(prefix + ".stale-while-revalidate", swr, "stale window", "30s");
      refresh = (refresh == null ? Refresh.none() : refresh).staleWhileRevalidate(swr);
    }
    if (sie != null) {
      positive(prefix + ".stale-if-error", sie, "stale window", "5m");
      refresh = (refresh == null ? Refresh.none() : refresh).staleIfError(sie);
    }
    if (refresh != null) {
      if (ttl == null) {
        String at =
            ahead != null
                ? ".refresh-ahead"
                : swr != null ? ".stale-while-revalidate" : ".stale-if-error";
        throw new FreshCacheConfigurationException(
            prefix + at,
            "refresh and stale windows act on entries that expire, but the cache has no TTL",
            "set " + prefix + ".ttl too");
      }
      sink.refresh(refresh);
    }
    if (nullTtl != null) {
      positive(prefix + ".null-ttl", nullTtl, "TTL", "30s");
      if (Boolean.FALSE.equals(allowNull)) {
        throw new FreshCacheConfigurationException(
            prefix + ".null-ttl",
            "a null TTL caches nulls, but allow-null-values is false",
            "drop one of the two");
      }
      sink.nullTtl(nullTtl);
    }
    if (allowNull != null) {
      sink.allowNullValues(allowNull);
    }
    if (own.getKeyPrefix() != null) {
      sink.keyPrefix(own.getKeyPrefix());
    }
    if (own.getValueType() != null) {
      sink.valueType(own.getValueType());
    }
  }

  private static <T> T pick(T own, T fallback) {
    return own != null ? own : fallback;
  }

  private static void positive(String property, Duration d, String what, String example) {
    if (d.isNegative() || d.isZero()) {
      throw new FreshCacheConfigurationException(
          property,
          "a " + what + " of " + text(d) + " is not positive",
          "use a positive duration such as " + example + ", or leave the property out");
    }
  }

  /** Boot's own short form where it fits: -5s rather than PT-5S. */
  static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return (ms / 1000) + "s";
    }
    return ms + "ms";
  }
}
