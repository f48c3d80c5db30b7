package io.freshcache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Configures a {@link CacheGroup}. Each setting may be given once. Not thread-safe.
 *
 * <pre>{@code
 * CacheGroup shop = CacheGroup.builder("shop").bus(bus).build();
 * }</pre>
 */
public final class CacheGroupBuilder {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  final String name;
  InvalidationBus bus;
  String instanceId;
  Ticker ticker = Ticker.systemTicker();
  Duration horizon = Duration.ofMinutes(10);
  int maxTags = InvalidationHistory.MAX_TAGS;
  private boolean tickerSet;
  private boolean horizonSet;

  CacheGroupBuilder(String name) {
    Objects.requireNonNull(name, "group name must not be null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "group name \""
              + name
              + "\" is not valid: use 1 to 128 letters, digits and . _ : -,"
              + " starting with a letter or digit");
    }
    this.name = name;
  }

  /** The bus that carries invalidations to the group's other instances. Default: none. */
  public CacheGroupBuilder bus(InvalidationBus bus) {
    if (this.bus != null) {
      throw new IllegalStateException("bus was already set to " + this.bus);
    }
    this.bus = Objects.requireNonNull(bus, "bus must not be null");
    return this;
  }

  /** This instance's id on the bus. Default: a random one. */
  public CacheGroupBuilder instanceId(String instanceId) {
    if (this.instanceId != null) {
      throw new IllegalStateException("instanceId was already set to " + this.instanceId);
    }
    Objects.requireNonNull(instanceId, "instanceId must not be null");
    if (instanceId.isBlank() || instanceId.length() > 128) {
      throw new IllegalArgumentException("instanceId must be 1 to 128 non-blank characters");
    }
    this.instanceId = instanceId;
    return this;
  }

  /** The clock of the group's invalidation history. Default: {@link Ticker#systemTicker()}. */
  public CacheGroupBuilder ticker(Ticker ticker) {
    if (tickerSet) {
      throw new IllegalStateException("ticker was already set to " + this.ticker);
    }
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    tickerSet = true;
    return this;
  }

  /**
   * How long key invalidations are remembered to judge loads that were running meanwhile; a load
   * that takes longer and needs that judgement is returned to its callers but not stored. Default:
   * 10 minutes.
   */
  public CacheGroupBuilder invalidationHorizon(Duration horizon) {
    if (horizonSet) {
      throw new IllegalStateException("invalidationHorizon was already set to " + this.horizon);
    }
    this.horizon = Durations.requirePositive(horizon, "invalidationHorizon");
    horizonSet = true;
    return this;
  }

  /** For tests: how many tag stamps the history keeps before it drops the oldest half. */
  CacheGroupBuilder maxTags(int maxTags) {
    this.maxTags = maxTags;
    return this;
  }

  /** Builds the group and, if it has a bus, subscribes it. */
  public CacheGroup build() {
    if (instanceId == null) {
      instanceId = UUID.randomUUID().toString().substring(0, 8);
    }
    return new CacheGroup(this);
  }
}
