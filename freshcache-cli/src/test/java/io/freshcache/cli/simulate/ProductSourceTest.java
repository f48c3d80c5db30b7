package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheLoadException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductSourceTest {

  private ProductDatabase database;
  private final VirtualClock clock = new VirtualClock();

  @BeforeEach
  void createDatabase() throws SQLException {
    database = ProductDatabase.create(10, 42);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    database.close();
  }

  @Test
  void loadsARowAtVersionOneAndMovesTheClockByTheLatency() throws Exception {
    ProductSource source = new ProductSource(database, clock, 2_000_000);

    Product product = source.load(7L);

    assertThat(product.id()).isEqualTo(7);
    assertThat(product.name()).isEqualTo("product-7");
    assertThat(product.priceCents()).isPositive();
    assertThat(product.version()).isEqualTo(1);
    assertThat(clock.read()).isEqualTo(2_000_000);
    assertThat(source.loads()).isEqualTo(1);
  }

  @Test
  void anUpdateChangesThePriceAndBumpsTheVersion() throws Exception {
    ProductSource source = new ProductSource(database, clock, 0);
    database.updatePrice(3, 12_345);
    database.updatePrice(3, 23_456);

    Product product = source.load(3L);

    assertThat(product.priceCents()).isEqualTo(23_456);
    assertThat(product.version()).isEqualTo(3);
  }

  @Test
  void resetPutsEveryRowBackToItsSeededState() throws Exception {
    ProductSource source = new ProductSource(database, clock, 0);
    Product seeded = source.load(5L);
    database.updatePrice(5, seeded.priceCents() + 1);

    database.reset();

    assertThat(source.load(5L)).isEqualTo(seeded);
  }

  @Test
  void whileDownEveryLoadFailsWithAnOutageAndStillCountsAndTakesTime() throws Exception {
    ProductSource source = new ProductSource(database, clock, 1_000);
    source.down(true);

    assertThatThrownBy(() -> source.load(1L))
        .isInstanceOf(SQLTransientConnectionException.class)
        .satisfies(e -> assertThat(ProductSource.isOutage(e)).isTrue());
    assertThat(source.loads()).isEqualTo(1);
    assertThat(clock.read()).isEqualTo(1_000);

    source.down(false);
    assertThat(source.load(1L).id()).isEqualTo(1);
  }

  @Test
  void anOutageIsRecognisedInsideTheCachesWrapperButOtherFailuresAreNot() {
    assertThat(ProductSource.isOutage(new CacheLoadException("x", new ProductSource.Outage())))
        .isTrue();
    assertThat(ProductSource.isOutage(new SQLException("syntax error"))).isFalse();
    assertThat(ProductSource.isOutage(new CacheLoadException("x"))).isFalse();
  }

  @Test
  void aMissingRowIsAnErrorNotAnOutage() {
    ProductSource source = new ProductSource(database, clock, 0);

    assertThatThrownBy(() -> source.load(11L))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("11")
        .satisfies(e -> assertThat(ProductSource.isOutage(e)).isFalse());
  }

  @Test
  void eachThreadQueriesOnItsOwnConnection() throws Exception {
    ProductSource source = new ProductSource(database, clock, 0);
    Product[] seen = new Product[1];
    Thread other =
        new Thread(
            () -> {
              try {
                seen[0] = source.load(2L);
              } catch (SQLException e) {
                throw new AssertionError(e);
              }
            });
    other.start();
    other.join();

    assertThat(seen[0]).isEqualTo(source.load(2L));
  }
}
