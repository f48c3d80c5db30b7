package io.freshcache.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The source of truth the kit's fleet caches: rows with versions, and a count of every read. A
 * stand-in for the application's database, shared by every instance of a fleet.
 */
public final class KitDatabase {

  /** A product row; {@code version} grows with every update. */
  public record Product(String name, long priceCents, long version) {}

  final Map<String, String> users = new ConcurrentHashMap<>();
  final Map<Long, Product> products = new ConcurrentHashMap<>();
  final AtomicInteger reads = new AtomicInteger();

  String user(String id) {
    reads.incrementAndGet();
    String value = users.get(id);
    if (value == null) {
      throw new IllegalArgumentException("no user " + id);
    }
    return value;
  }

  Product product(Long id) {
    reads.incrementAndGet();
    Product value = products.get(id);
    if (value == null) {
      throw new IllegalArgumentException("no product " + id);
    }
    return value;
  }

  /** Updates a product's price, bumping its version; returns the new row. */
  Product reprice(long id, long priceCents) {
    return products.compute(id, (k, old) -> new Product(old.name(), priceCents, old.version() + 1));
  }
}
