package io.freshcache.spring.boot.examples;

import io.freshcache.Tags;
import io.freshcache.spring.FreshCacheCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/** The README's application. */
@SpringBootApplication
@EnableCaching
public class ShopExample {

  @Bean
  FreshCacheCustomizer productTags() {
    return spec -> spec.tags(Product.class, p -> Tags.of("category:" + p.categoryId()));
  }
}
