package io.freshcache.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code freshcache.*} properties. A property under {@code freshcache.} that is not one of
 * these fails startup, naming it: a misspelt TTL must not silently mean "no TTL".
 */
@ConfigurationProperties(prefix = "freshcache", ignoreUnknownFields = false)
public class FreshCacheProperties {

  /** The group's name: its namespace on Redis. Default: spring.application.name. */
  private String namespace;

  /** Whether caches store nulls (Spring's allowNullValues), unless a cache says otherwise. */
  private boolean allowNullValues = true;

  /** Whether a cache name not configured gets a cache on first use. */
  private boolean dynamic = true;

  /**
   * Packages whose classes the shared tier may read back for caches without a value type. Default:
   * the application's packages (those of its @SpringBootApplication class).
   */
  private List<String> trustedPackages = new ArrayList<>();

  /** Strict mode: puts and evictions return only once Redis holds them, waiting at most this. */
  private Duration strict;

  /**
   * How often this instance sends its status on the bus, for {@code freshcache stats}; 0 sends
   * none. Default: the group's (5 s).
   */
  private Duration statusInterval;

  /** Redis: the bus and the shared tier. */
  private final Redis redis = new Redis();

  /** Settings every cache starts from. */
  private final CacheSettings defaults = new CacheSettings();

  /** Settings of single caches, by name. */
  private final Map<String, CacheSettings> caches = new LinkedHashMap<>();

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public boolean isAllowNullValues() {
    return allowNullValues;
  }

  public void setAllowNullValues(boolean allowNullValues) {
    this.allowNullValues = allowNullValues;
  }

  public boolean isDynamic() {
    return dynamic;
  }

  public void setDynamic(boolean dynamic) {
    this.dynamic = dynamic;
  }

  public List<String> getTrustedPackages() {
    return trustedPackages;
  }

  public void setTrustedPackages(List<String> trustedPackages) {
    this.trustedPackages = trustedPackages;
  }

  public Duration getStrict() {
    return strict;
  }

  public void setStrict(Duration strict) {
    this.strict = strict;
  }

  public Duration getStatusInterval() {
    return statusInterval;
  }

  public void setStatusInterval(Duration statusInterval) {
    this.statusInterval = statusInterval;
  }

  public Redis getRedis() {
    return redis;
  }

  public CacheSettings getDefaults() {
    return defaults;
  }

  public Map<String, CacheSettings> getCaches() {
    return caches;
  }

  /** The {@code freshcache.redis.*} properties. */
  public static class Redis {

    /** redis:// or rediss:// URI; leave it out for caches in this process only. */
    private String uri;

    /** Whether caches read and fill the shared tier on Redis (otherwise only the bus is used). */
    private boolean sharedTier = true;

    /** δ: the longest an instance serves local hits without proof that the bus reaches it. */
    private Duration stalenessBound;

    /** Whether an unreachable Redis fails startup (otherwise the group starts detached). */
    private boolean failFast = true;

    /** The prefix of every Redis key and channel name of the bus and tier. */
    private String keyPrefix;

    /**
     * Whether the bus also hears the pub/sub channel (publishers that know only the plain JSON
     * format); off, it hears freshcache publishers only, through the stream, and replays after a
     * drop instead of clearing.
     */
    private boolean channelDelivery = true;

    public boolean isChannelDelivery() {
      return channelDelivery;
    }

    public void setChannelDelivery(boolean channelDelivery) {
      this.channelDelivery = channelDelivery;
    }

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public boolean isSharedTier() {
      return sharedTier;
    }

    public void setSharedTier(boolean sharedTier) {
      this.sharedTier = sharedTier;
    }

    public Duration getStalenessBound() {
      return stalenessBound;
    }

    public void setStalenessBound(Duration stalenessBound) {
      this.stalenessBound = stalenessBound;
    }

    public boolean isFailFast() {
      return failFast;
    }

    public void setFailFast(boolean failFast) {
      this.failFast = failFast;
    }

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }
  }

  /**
   * The settings of one cache ({@code freshcache.caches.<name>.*}) or of all ({@code defaults}).
   */
  public static class CacheSettings {

    /** How long an entry stays fresh after it is written. */
    private Duration ttl;

    /** Spreads TTLs over ±this fraction (0 to 1), so keys written together expire apart. */
    private Double jitter;

    /** The most entries held in this instance's memory. */
    private Long maximumSize;

    /** Reload in the background once an entry has lived this fraction of its TTL (0 to 1). */
    private Double refreshAhead;

    /** Serve an expired entry this long while one reload runs. */
    private Duration staleWhileRevalidate;

    /** Serve an expired entry this long while its reload fails. */
    private Duration staleIfError;

    /** Negative caching: a cached null ("not found") lives this long. */
    private Duration nullTtl;

    /** Whether this cache stores nulls. */
    private Boolean allowNullValues;

    /** The prefix of the cache's key names (default: the cache's name and a colon). */
    private String keyPrefix;

    /** The class of the cache's values, for the shared tier's JSON. */
    private Class<?> valueType;

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public Double getJitter() {
      return jitter;
    }

    public void setJitter(Double jitter) {
      this.jitter = jitter;
    }

    public Long getMaximumSize() {
      return maximumSize;
    }

    public void setMaximumSize(Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    public Double getRefreshAhead() {
      return refreshAhead;
    }

    public void setRefreshAhead(Double refreshAhead) {
      this.refreshAhead = refreshAhead;
    }

    public Duration getStaleWhileRevalidate() {
      return staleWhileRevalidate;
    }

    public void setStaleWhileRevalidate(Duration staleWhileRevalidate) {
      this.staleWhileRevalidate = staleWhileRevalidate;
    }

    public Duration getStaleIfError() {
      return staleIfError;
    }

    public void setStaleIfError(Duration staleIfError) {
      this.staleIfError = staleIfError;
    }

    public Duration getNullTtl() {
      return nullTtl;
    }

    public void setNullTtl(Duration nullTtl) {
      this.nullTtl = nullTtl;
    }

    public Boolean getAllowNullValues() {
      return allowNullValues;
    }

    public void setAllowNullValues(Boolean allowNullValues) {
      this.allowNullValues = allowNullValues;
    }

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    public Class<?> getValueType() {
      return valueType;
    }

    public void setValueType(Class<?> valueType) {
      this.valueType = valueType;
    }
  }
}
