package io.freshcache.spring;

/**
 * Adjusts a Spring cache's settings before its freshcache cache is built: where functions go (tags,
 * dependencies and versions from the value, a write policy) and anything properties cannot say.
 * Called once per cache, for every cache the manager builds, after the properties.
 *
 * <pre>{@code
 * @Bean
 * FreshCacheCustomizer products() {
 *   return spec -> {
 *     if (spec.name().equals("products")) {
 *       spec.tags(Product.class, p -> Tags.of("category:" + p.categoryId()))
 *           .version(Product.class, Product::version);
 *     }
 *   };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FreshCacheCustomizer {

  /** Adjusts {@code spec}; {@link CacheSpec#name()} says which cache it is. */
  void customize(CacheSpec spec);
}
