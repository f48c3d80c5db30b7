package io.freshcache.jcache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.event.Names;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisBusBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.CacheException;

/**
 * What a cache manager's URI and properties ask for: which group its caches join, on which bus,
 * with which clock. Checked as a whole before anything is opened, so a bad setting fails {@code
 * getCacheManager} with one message that names it and says how to fix it.
 */
final class ManagerSettings {

  static final String DEFAULT_NAMESPACE = "jcache";

  private static final Set<String> KNOWN =
      Set.of(
          FreshCachingProvider.REDIS_URI,
          FreshCachingProvider.NAMESPACE,
          FreshCachingProvider.STALENESS_BOUND,
          FreshCachingProvider.FAIL_FAST,
          FreshCachingProvider.GROUP,
          FreshCachingProvider.TICKER);

  private static final Pattern SHORT_DURATION =
      Pattern.compile("(-?\\d+)(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  private final String namespace;
  private final String redisUri;
  private final Duration stalenessBound;
  private final boolean failFast;
  private final CacheGroup givenGroup;
  private final Ticker ticker;

  private ManagerSettings(
      String namespace,
      String redisUri,
      Duration stalenessBound,
      boolean failFast,
      CacheGroup givenGroup,
      Ticker ticker) {
    this.namespace = namespace;
    this.redisUri = redisUri;
    this.stalenessBound = stalenessBound;
    this.failFast = failFast;
    this.givenGroup = givenGroup;
    this.ticker = ticker;
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the property (or the URI) that is wrong and the fix
   */
  static ManagerSettings of(URI uri, Properties properties) {
    Properties p = properties == null ? new Properties() : properties;
    for (Object key : p.keySet()) {
      String name = String.valueOf(key);
      if (name.startsWith("freshcache.") && !KNOWN.contains(name)) {
        throw new IllegalArgumentException(
            "unknown property '"
                + name
                + "' for the freshcache JCache provider; the known ones are "
                + new TreeSet<>(KNOWN));
      }
    }
    String fromUri = redisUriOf(uri);
    String fromProperty = text(p, FreshCachingProvider.REDIS_URI);
    if (fromUri != null && fromProperty != null && !fromUri.equals(fromProperty)) {
      throw new IllegalArgumentException(
          "the cache manager's URI "
              + uri
              + " and the property "
              + FreshCachingProvider.REDIS_URI
              + "="
              + fromProperty
              + " name two different Redis servers; give one of them");
    }
    String redis = fromUri != null ? fromUri : fromProperty;
    if (redis != null && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          FreshCachingProvider.REDIS_URI
              + "="
              + redis
              + " is not a Redis URI; give redis://host:port (or rediss:// for TLS)");
    }
    String namespace = text(p, FreshCachingProvider.NAMESPACE);
    if (namespace != null && !Names.isName(namespace)) {
      throw new IllegalArgumentException(
          FreshCachingProvider.NAMESPACE
              + "="
              + namespace
              + " is not a valid namespace: use 1 to 128 letters, digits, '.', '_', ':' or '-',"
              + " starting with a letter or digit");
    }
    Duration bound = duration(p, FreshCachingProvider.STALENESS_BOUND);
    Boolean failFast = bool(p, FreshCachingProvider.FAIL_FAST);
    CacheGroup group = object(p, FreshCachingProvider.GROUP, CacheGroup.class, "a CacheGroup");
    Ticker ticker = object(p, FreshCachingProvider.TICKER, Ticker.class, "a Caffeine Ticker");
    if (group != null && (redis != null || namespace != null || bound != null)) {
      throw new IllegalArgumentException(
          FreshCachingProvider.GROUP
              + " hands the manager a group that is already configured; drop "
              + FreshCachingProvider.REDIS_URI
              + ", "
              + FreshCachingProvider.NAMESPACE
              + " and "
              + FreshCachingProvider.STALENESS_BOUND
              + " (and a redis:// manager URI), or drop "
              + FreshCachingProvider.GROUP);
    }
    if (redis == null && (bound != null || failFast != null)) {
      throw new IllegalArgumentException(
          (bound != null ? FreshCachingProvider.STALENESS_BOUND : FreshCachingProvider.FAIL_FAST)
              + " applies to a bus on Redis, but none is configured; give "
              + FreshCachingProvider.REDIS_URI
              + " (or a redis:// manager URI), or drop it");
    }
    return new ManagerSettings(
        namespace == null ? DEFAULT_NAMESPACE : namespace,
        redis,
        bound,
        failFast == null || failFast,
        group,
        ticker == null ? Ticker.systemTicker() : ticker);
  }

  Ticker ticker() {
    return ticker;
  }

  /** The group the manager's caches join: the given one, or one opened for the manager. */
  CacheGroup openGroup() {
    if (givenGroup != null) {
      return givenGroup;
    }
    CacheGroupBuilder builder = CacheGroup.builder(namespace).ticker(ticker);
    if (redisUri != null) {
      RedisBusBuilder bus = RedisBus.builder(redisUri).failFast(failFast);
      if (stalenessBound != null) {
        bus.stalenessBound(stalenessBound);
      }
      builder.bus(bus);
    }
    try {
      return builder.build();
    } catch (RuntimeException e) {
      throw new CacheException(
          "the freshcache JCache provider could not open its group '"
              + namespace
              + "' on "
              + redisUri
              + ": "
              + e.getMessage()
              + "; start Redis or fix "
              + FreshCachingProvider.REDIS_URI
              + (failFast
                  ? " (or set " + FreshCachingProvider.FAIL_FAST + "=false to start detached)"
                  : ""),
          e);
    }
  }

  /** Closes the group if the manager opened it; a given group is left to its owner. */
  void closeGroup(CacheGroup group) {
    if (group != givenGroup) {
      group.close();
    }
  }

  private static String redisUriOf(URI uri) {
    if (uri == null || uri.getScheme() == null) {
      return null;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("redis") || scheme.equals("rediss") ? uri.toString() : null;
  }

  private static String text(Properties p, String name) {
    Object value = p.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(
          name + " must be a non-empty string, but is " + describe(value));
    }
    return s.trim();
  }

  private static Duration duration(Properties p, String name) {
    String text = text(p, name);
    if (text == null) {
      return null;
    }
    Duration d;
    Matcher m = SHORT_DURATION.matcher(text);
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        d =
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              default -> Duration.ofHours(amount);
            };
      } else {
        d = Duration.parse(text);
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      d = null;
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          name
              + "="
              + text
              + " is not a positive duration; give one such as 200ms, 2s, 1m or PT0.2S");
    }
    return d;
  }

  private static Boolean bool(Properties p, String name) {
    String text = text(p, name);
    if (text == null) {
      return null;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + "=" + text + " must be true or false");
    };
  }

  private static <T> T object(Properties p, String name, Class<T> type, String what) {
    Object value = p.get(name);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          name + " must be " + what + " (put the object itself), but is " + describe(value));
    }
    return type.cast(value);
  }

  private static String describe(Object value) {
    return value.getClass().getSimpleName() + " " + value;
  }
}
