package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductDatabaseTest {

  private ProductDatabase database;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = ProductDatabase.create(100, 42);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    database.close();
  }

  @Test
  void writeStoresAProductAtItsVersion() throws SQLException {
    Product next = new Product(9, ProductDatabase.nameOf(9), 4_200, 5);

    assertThat(database.write(next)).isTrue();

    assertThat(database.find(9)).isEqualTo(next);
  }

  @Test
  void anOlderOrEqualWriteNeverOverwritesANewerRow() throws SQLException {
    Product newer = new Product(9, ProductDatabase.nameOf(9), 4_200, 5);
    database.write(newer);

    assertThat(database.write(new Product(9, newer.name(), 1_000, 4))).isFalse();
    assertThat(database.write(new Product(9, newer.name(), 1_000, 5))).isFalse();

    assertThat(database.find(9)).isEqualTo(newer);
  }

  @Test
  void writingAMissingRowFails() {
    assertThatThrownBy(() -> database.write(new Product(101, "x", 1, 2)))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("101");
  }

  @Test
  void repricingACategoryBumpsTheVersionOfItsProductsOnly() throws SQLException {
    Categories categories = database.categories();
    long category = categories.categoryOf(1);
    Product inside = database.find(1);

    int updated = database.repriceCategory(category, 110);

    assertThat(updated).isEqualTo(categories.productsOf(category).length);
    long[] versions = database.versions();
    for (long id = 1; id <= database.rows(); id++) {
      long expected = categories.categoryOf(id) == category ? 2 : 1;
      assertThat(versions[(int) id]).as("product " + id).isEqualTo(expected);
    }
    assertThat(database.find(1).priceCents()).isEqualTo(inside.priceCents() * 110 / 100);
  }

  @Test
  void versionsListsEveryRowByIdAndResetPutsThemBack() throws SQLException {
    database.updatePrice(3, 100);

    assertThat(database.versions()).hasSize(101).contains(2);
    database.reset();
    assertThat(database.versions()).containsOnly(0, 1);
  }

  @Test
  void seedsEveryRowWhenTheTableTakesSeveralBatches() throws SQLException {
    for (int rows : new int[] {20_000, 25_001}) {
      try (ProductDatabase large = ProductDatabase.create(rows, 42)) {
        large.updatePrice(rows, 100);
        large.reset();

        assertThat(large.versions()).hasSize(rows + 1).containsOnly(0, 1);
        assertThat(large.find(rows).name()).isEqualTo(ProductDatabase.nameOf(rows));
      }
    }
  }
}
