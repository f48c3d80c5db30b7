package io.freshcache.spring.boot.examples;

import io.freshcache.spring.FreshCacheInvalidator;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The README's annotated service, as printed there. */
@Service
public class ProductService {

  private final ProductRepository repository;
  private final FreshCacheInvalidator invalidator;

  public ProductService(ProductRepository repository, FreshCacheInvalidator invalidator) {
    this.repository = repository;
    this.invalidator = invalidator;
  }

  @Cacheable(cacheNames = "products", sync = true) // one load per key, across every instance
  public Product find(long id) {
    return repository.find(id); // null ("not found") is cached for null-ttl
  }

  @Transactional
  @CacheEvict(cacheNames = "products", key = "#product.id") // after the commit, everywhere
  public void rename(Product product) {
    repository.save(product);
  }

  @Transactional
  public void discontinue(long categoryId) {
    repository.discontinue(categoryId);
    invalidator.invalidateTag("category:" + categoryId); // after the commit too
  }
}
