package io.freshcache.spring.boot.examples;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The README's repository, on the embedded H2 database; counts its reads. */
@Repository
public class ProductRepository {

  private final JdbcTemplate jdbc;
  final AtomicInteger reads = new AtomicInteger();

  public ProductRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    jdbc.execute(
        "create table if not exists products"
            + " (id bigint primary key, name varchar(100), category_id bigint, active boolean)");
  }

  public Product find(long id) {
    reads.incrementAndGet();
    return jdbc
        .query(
            "select id, name, category_id from products where id = ? and active",
            (rs, n) -> new Product(rs.getLong(1), rs.getString(2), rs.getLong(3)),
            id)
        .stream()
        .findFirst()
        .orElse(null);
  }

  public void insert(Product p) {
    jdbc.update("insert into products values (?, ?, ?, true)", p.id(), p.name(), p.categoryId());
  }

  public void save(Product p) {
    jdbc.update("update products set name = ? where id = ?", p.name(), p.id());
  }

  public void discontinue(long categoryId) {
    jdbc.update("update products set active = false where category_id = ?", categoryId);
  }

  public int reads() {
    return reads.get();
  }
}
