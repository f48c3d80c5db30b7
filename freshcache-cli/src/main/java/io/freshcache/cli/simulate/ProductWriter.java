package io.freshcache.cli.simulate;

import io.freshcache.Writer;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Writer} of the write-through, write-around and write-behind strategies: one
 * conditional {@code UPDATE} per product ({@link ProductDatabase#write}), so that a write older
 * than what the row holds changes nothing. Thread-safe: write-behind calls it from its flushing
 * thread.
 */
final class ProductWriter implements Writer<Long, Product> {

  private final ProductDatabase database;
  private final AtomicLong superseded = new AtomicLong();

  ProductWriter(ProductDatabase database) {
    this.database = database;
  }

  /**
   * Writes the product's row.
   *
   * @throws IllegalArgumentException if {@code id} is not the product's id
   * @throws SQLException if the update fails
   */
  @Override
  public void write(Long id, Product product) throws SQLException {
    if (id != product.id()) {
      throw new IllegalArgumentException("key " + id + " holds product " + product.id());
    }
    if (!database.write(product)) {
      superseded.incrementAndGet();
    }
  }

  /** Writes that found a newer version already in the row, and so changed nothing. */
  long superseded() {
    return superseded.get();
  }
}
