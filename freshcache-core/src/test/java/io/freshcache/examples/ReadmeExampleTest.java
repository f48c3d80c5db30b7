package io.freshcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.Refresh;
import io.freshcache.stats.CacheStats;
import io.freshcache.stats.KeyAnalytics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The README's example, compiled and run against the public API only. */
class ReadmeExampleTest {

  record Product(long id, String name, long priceCents) {}

  static final class ProductRepository {
    final Map<Long, Product> rows = new ConcurrentHashMap<>();

    Product findById(Long id) {
      Product row = rows.get(id);
      if (row == null) {
        throw new IllegalArgumentException("no product " + id);
      }
      return row;
    }
  }

  @Test
  void theReadmeExampleRunsAsWritten() {
    ProductRepository productRepository = new ProductRepository();
    productRepository.rows.put(42L, new Product(42, "kettle", 2_999));
    Product updated = new Product(42, "kettle", 2_499);

    FreshCache<Long, Product> products =
        FreshCache.builder("products", Long.class, Product.class)
            .maximumSize(100_000)
            .expiry(Expiry.ttl(Duration.ofMinutes(10)).jitter(0.2))
            .refresh(Refresh.ahead(0.8).staleIfError(Duration.ofMinutes(5)))
            .source(productRepository::findById)
            .build();

    Product p = products.get(42L);
    products.put(42L, updated);
    KeyAnalytics<Long> k = products.analytics().key(42L).orElseThrow();
    CacheStats stats = products.analytics().stats();

    assertThat(p.priceCents()).isEqualTo(2_999);
    assertThat(products.get(42L)).isEqualTo(updated);
    assertThat(k.writes()).isEqualTo(2);
    assertThat(stats.loads()).isEqualTo(1);
    products.invalidate(42L);
    assertThat(products.getIfPresent(42L)).isNull();
  }
}
