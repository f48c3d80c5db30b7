package io.freshcache.spring.boot.apps;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;

/** An application that defines its own cache manager: freshcache must stay out of its way. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
public class OwnCacheManagerApplication {

  @Bean
  CacheManager cacheManager() {
    return new ConcurrentMapCacheManager("greetings");
  }
}
