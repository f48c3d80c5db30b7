package io.freshcache.spring.boot;

import io.freshcache.spring.FreshCacheConfigurationException;
import io.freshcache.spring.FreshCacheManager;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.cache.interceptor.CacheOperation;
import org.springframework.cache.interceptor.CacheOperationSource;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * At startup, once every singleton exists: attaches what must see every cache built from now on
 * (the cache meters), then builds every cache that a caching annotation names, so that a name
 * freshcache cannot take fails startup, saying where it is, rather than the first call.
 */
final class CacheNameCheck implements SmartInitializingSingleton {

  private final ConfigurableListableBeanFactory beanFactory;
  private final ObjectProvider<FreshCacheManager> managers;
  private final ObjectProvider<? extends Consumer<FreshCacheManager>> attachments;
  private FreshCacheManager manager;

  CacheNameCheck(
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<FreshCacheManager> managers,
      ObjectProvider<? extends Consumer<FreshCacheManager>> attachments) {
    this.beanFactory = beanFactory;
    this.managers = managers;
    this.attachments = attachments;
  }

  @Override
  public void afterSingletonsInstantiated() {
    manager = managers.getIfUnique();
    if (manager == null) {
      return;
    }
    attachments.orderedStream().forEach(a -> a.accept(manager));
    CacheOperationSource source =
        beanFactory.getBeanProvider(CacheOperationSource.class).getIfAvailable();
    if (source == null) {
      return;
    }
    for (String beanName : beanFactory.getBeanDefinitionNames()) {
      BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
      if (definition.getRole() != BeanDefinition.ROLE_APPLICATION) {
        continue;
      }
      Class<?> type = beanFactory.getType(beanName, false);
      if (type == null) {
        continue;
      }
      Class<?> user = ClassUtils.getUserClass(type);
      if (!source.isCandidateClass(user)) {
        continue;
      }
      ReflectionUtils.doWithMethods(user, method -> check(source, method, user));
    }
  }

  private void check(CacheOperationSource source, Method method, Class<?> type) {
    Collection<CacheOperation> operations = source.getCacheOperations(method, type);
    if (operations == null) {
      return;
    }
    for (CacheOperation operation : operations) {
      for (String name : operation.getCacheNames()) {
        try {
          manager.getCache(name);
        } catch (FreshCacheConfigurationException e) {
          throw new FreshCacheConfigurationException(
              null,
              e.problem() + ", named on " + type.getSimpleName() + "." + method.getName() + "()",
              e.fix(),
              e);
        }
      }
    }
  }
}
