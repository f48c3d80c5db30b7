package io.freshcache.spring.boot.shop;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The products table, counting the queries that read it. */
@Repository
public class ProductRepository {

  private final JdbcTemplate jdbc;
  private final AtomicInteger reads = new AtomicInteger();

  public ProductRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public Product find(long id) {
    reads.incrementAndGet();
    List<Product> rows =
        jdbc.query(
            "select id, name, price_cents from products where id = ?",
            (rs, n) -> new Product(rs.getLong(1), rs.getString(2), rs.getLong(3)),
            id);
    return rows.isEmpty() ? null : rows.get(0);
  }

  public void save(Product product) {
    jdbc.update(
        "update products set name = ?, price_cents = ? where id = ?",
        product.name(),
        product.priceCents(),
        product.id());
  }

  /** How many queries read the table on this instance. */
  public int reads() {
    return reads.get();
  }
}
