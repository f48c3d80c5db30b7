package io.freshcache.jcache;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** A cache's configuration as the JCache management bean shows it. */
final class ConfigurationBean implements CacheMXBean {

  private final FreshJCache<?, ?> cache;

  ConfigurationBean(FreshJCache<?, ?> cache) {
    this.cache = cache;
  }

  @SuppressWarnings("unchecked") // the raw class literal: any key and value types will do
  private CompleteConfiguration<?, ?> config() {
    return cache.getConfiguration(CompleteConfiguration.class);
  }

  @Override
  public String getKeyType() {
    return config().getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return config().getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return config().isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return config().isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return config().isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return config().isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return config().isManagementEnabled();
  }
}
