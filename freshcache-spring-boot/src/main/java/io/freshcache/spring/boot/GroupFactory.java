package io.freshcache.spring.boot;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.event.Names;
import io.freshcache.spring.FreshCacheConfigurationException;
import java.time.Duration;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/** Builds the application's group from the {@code freshcache.*} properties. */
final class GroupFactory {

  private static final boolean REDIS_PRESENT =
      ClassUtils.isPresent("io.freshcache.redis.RedisBus", GroupFactory.class.getClassLoader());

  private GroupFactory() {}

  static String namespace(FreshCacheProperties properties, Environment environment) {
    String namespace = properties.getNamespace();
    String property = "freshcache.namespace";
    if (namespace == null) {
      namespace = environment.getProperty("spring.application.name");
      property = "spring.application.name";
    }
    if (namespace == null) {
      throw new FreshCacheConfigurationException(
          "freshcache.namespace",
          "the caches' group has no name (neither freshcache.namespace nor"
              + " spring.application.name is set)",
          "set freshcache.namespace to the name every instance of this service shares, e.g."
              + " freshcache.namespace=shop");
    }
    if (!Names.isName(namespace)) {
      throw new FreshCacheConfigurationException(
          property,
          "\"" + namespace + "\" is not a valid group name",
          "use 1 to 128 letters, digits and . _ : -, starting with a letter or digit"
              + (property.equals("freshcache.namespace")
                  ? ""
                  : ", or set freshcache.namespace to such a name"));
    }
    return namespace;
  }

  static CacheGroup build(
      FreshCacheProperties properties,
      Environment environment,
      List<FreshCacheGroupCustomizer> customizers) {
    FreshCacheProperties.Redis redis = properties.getRedis();
    CacheGroupBuilder builder = CacheGroup.builder(namespace(properties, environment));
    if (redis.getStalenessBound() != null && redis.getUri() == null) {
      throw new FreshCacheConfigurationException(
          "freshcache.redis.staleness-bound",
          "the staleness bound is the bus's, but no Redis is configured",
          "set freshcache.redis.uri, or drop the staleness bound");
    }
    if (properties.getStrict() != null) {
      positive("freshcache.strict", properties.getStrict());
      if (redis.getUri() == null) {
        throw new FreshCacheConfigurationException(
            "freshcache.strict",
            "strict mode waits for Redis, but no Redis is configured",
            "set freshcache.redis.uri, or drop freshcache.strict");
      }
      builder.strict(properties.getStrict());
    }
    if (properties.getStatusInterval() != null) {
      try {
        builder.statusInterval(properties.getStatusInterval());
      } catch (IllegalArgumentException e) {
        throw new FreshCacheConfigurationException(
            "freshcache.status-interval",
            "a status interval of " + properties.getStatusInterval().toMillis() + "ms is too short",
            "use at least 10ms, such as 5s, or 0 to send no status");
      }
    }
    if (redis.getUri() != null) {
      if (!REDIS_PRESENT) {
        throw new FreshCacheConfigurationException(
            "freshcache.redis.uri",
            "Redis is configured, but freshcache-redis is not on the classpath",
            "add the dependency io.freshcache:freshcache-redis, or drop freshcache.redis.uri");
      }
      if (redis.getStalenessBound() != null) {
        positive("freshcache.redis.staleness-bound", redis.getStalenessBound());
      }
      try {
        RedisSetup.configure(builder, redis);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new FreshCacheConfigurationException(
            "freshcache.redis", oneLine(e), "correct the freshcache.redis.* settings", e);
      }
    }
    customizers.forEach(c -> c.customize(builder));
    try {
      return builder.build();
    } catch (FreshCacheConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      if (redis.getUri() != null) {
        throw new FreshCacheConfigurationException(
            "freshcache.redis.uri",
            "the group could not connect to Redis at "
                + RedisSetup.withoutPassword(redis.getUri())
                + ": "
                // the builder's own hint names its method; the fix below names the property
                + oneLine(e)
                    .replaceAll("\\s*\\(or build it without \\.failFast\\(true\\)[^)]*\\)", ""),
            "start Redis there or correct freshcache.redis.uri; to start without it (reads go to"
                + " the source until Redis answers) set freshcache.redis.fail-fast=false",
            e);
      }
      throw e;
    }
  }

  private static void positive(String property, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new FreshCacheConfigurationException(
          property,
          "a duration of " + PropertiesCustomizer.text(d) + " is not positive",
          "use a positive duration such as 200ms");
    }
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
