package io.freshcache.spring.boot.shop;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** The test shop's cached service, as an application would write it. */
@Service
public class ProductService {

  private final ProductRepository repository;

  public ProductService(ProductRepository repository) {
    this.repository = repository;
  }

  @Cacheable(cacheNames = "products", sync = true)
  public Product find(long id) {
    return repository.find(id);
  }

  @CachePut(cacheNames = "products", key = "#product.id")
  public Product save(Product product) {
    repository.save(product);
    return product;
  }

  /** Writes the row and evicts the entry; joins the caller's transaction, if any. */
  @CacheEvict(cacheNames = "products", key = "#product.id")
  public void update(Product product) {
    repository.save(product);
  }

  /** As {@link #update}, evicting before the write (Spring applies such evictions at once). */
  @CacheEvict(cacheNames = "products", key = "#product.id", beforeInvocation = true)
  public void updateEvictingFirst(Product product) {
    repository.save(product);
  }
}
