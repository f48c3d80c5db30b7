package io.freshcache.spring.boot;

import io.freshcache.CacheGroup;
import io.freshcache.spring.FreshCacheConfigurationException;
import io.freshcache.spring.FreshCacheCustomizer;
import io.freshcache.spring.FreshCacheInvalidator;
import io.freshcache.spring.FreshCacheManager;
import io.freshcache.spring.FreshCacheManagerBuilder;
import io.freshcache.spring.FreshSpringCache;
import io.freshcache.spring.InvalidateAdvisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configures freshcache as the application's Spring {@link CacheManager} when caching is
 * enabled ({@code @EnableCaching}) and the application defines no cache manager of its own: a
 * {@link CacheGroup} from {@code freshcache.*} (on Redis if {@code freshcache.redis.uri} is set), a
 * {@link FreshCacheManager} over it with every {@link FreshCacheCustomizer} bean, a {@link
 * FreshCacheInvalidator}, Boot's cache meters and the {@code freshcache} actuator endpoint.
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({CacheManager.class, CacheGroup.class, FreshCacheManager.class})
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(CacheManager.class)
@EnableConfigurationProperties(FreshCacheProperties.class)
public class FreshCacheAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  CacheGroup freshCacheGroup(
      FreshCacheProperties properties,
      Environment environment,
      ObjectProvider<FreshCacheGroupCustomizer> customizers) {
    return GroupFactory.build(properties, environment, customizers.orderedStream().toList());
  }

  @Bean
  FreshCacheManager cacheManager(
      CacheGroup group,
      FreshCacheProperties properties,
      Environment environment,
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<FreshCacheCustomizer> customizers) {
    PropertiesCustomizer fromProperties = new PropertiesCustomizer(properties);
    fromProperties.validate();
    FreshCacheManagerBuilder builder =
        FreshCacheManager.builder(group)
            .allowNullValues(properties.isAllowNullValues())
            .dynamic(properties.isDynamic())
            .customizer(fromProperties);
    customizers.orderedStream().forEach(builder::customizer);
    builder.customizer(fromProperties.sourceCheck());
    List<String> trusted = new ArrayList<>(properties.getTrustedPackages());
    if (trusted.isEmpty() && AutoConfigurationPackages.has(beanFactory)) {
      trusted.addAll(AutoConfigurationPackages.get(beanFactory));
    }
    builder.trustedPackages(trusted.toArray(String[]::new));
    List<String> names = new ArrayList<>(properties.getCaches().keySet());
    Binder.get(environment)
        .bind("spring.cache.cache-names", String[].class)
        .ifBound(declared -> names.addAll(List.of(declared)));
    for (String name : names) {
      builder.cacheNames(name);
    }
    try {
      return builder.build();
    } catch (FreshCacheConfigurationException e) {
      if (e.property() != null) {
        throw e;
      }
      String at =
          properties.getCaches().keySet().stream()
              .filter(n -> e.problem().contains("\"" + n + "\""))
              .findFirst()
              .map(n -> "freshcache.caches." + n)
              .orElse("spring.cache.cache-names");
      throw new FreshCacheConfigurationException(at, e.problem(), e.fix(), e);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  FreshCacheInvalidator freshCacheInvalidator(CacheGroup group) {
    return FreshCacheInvalidator.of(group);
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnMissingBean
  static InvalidateAdvisor freshCacheInvalidateAdvisor(
      ObjectProvider<FreshCacheInvalidator> invalidator) {
    return new InvalidateAdvisor(invalidator::getObject);
  }

  @Bean
  static CacheNameCheck freshCacheNameCheck(
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<FreshCacheManager> manager,
      ObjectProvider<FreshCacheStartupAttachment> attachments) {
    return new CacheNameCheck(beanFactory, manager, attachments);
  }

  /** Something that must see every cache the manager builds after startup. */
  interface FreshCacheStartupAttachment extends Consumer<FreshCacheManager> {}

  /** Boot's cache meters for freshcache's caches. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, CacheMeterBinderProvider.class})
  static class Metrics {

    @Bean
    CacheMeterBinderProvider<FreshSpringCache> freshCacheMeterBinderProvider() {
      return FreshCacheMetrics::new;
    }

    /** Caches built after Boot bound the manager's first ones get their meters as they appear. */
    @Bean
    FreshCacheStartupAttachment freshCacheLateMeters(
        ObjectProvider<CacheMetricsRegistrar> registrar) {
      return manager ->
          registrar.ifAvailable(
              r ->
                  manager.whenCacheBuilt(
                      c -> r.bindCacheToRegistry(c, Tag.of("cache.manager", "cacheManager"))));
    }

    @Bean
    FreshCacheGroupCustomizer freshCacheGroupMeters(ObjectProvider<MeterRegistry> registry) {
      return builder -> registry.ifAvailable(builder::metrics);
    }
  }

  /** The {@code freshcache} actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class Actuator {

    @Bean
    @ConditionalOnMissingBean
    FreshCacheEndpoint freshCacheEndpoint(FreshCacheManager manager) {
      return new FreshCacheEndpoint(manager);
    }
  }
}
