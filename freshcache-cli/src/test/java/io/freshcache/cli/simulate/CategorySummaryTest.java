package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CategorySummaryTest {

  private static final List<Product> PRODUCTS =
      List.of(
          new Product(1, "a", 500, 3), new Product(4, "b", 200, 1), new Product(7, "c", 900, 2));

  @Test
  void summarisesThePricesOfItsProducts() {
    CategorySummary summary = CategorySummary.of(1, PRODUCTS);

    assertThat(summary.category()).isEqualTo(1);
    assertThat(summary.minPriceCents()).isEqualTo(200);
    assertThat(summary.maxPriceCents()).isEqualTo(900);
    assertThat(summary.productIds()).containsExactly(1, 4, 7);
  }

  @Test
  void isStaleOnceAnyProductItWasComputedFromHasANewerVersion() {
    CategorySummary summary = CategorySummary.of(1, PRODUCTS);
    long[] current = {0, 3, 9, 9, 1, 9, 9, 2};

    assertThat(summary.isStale(current)).isFalse();
    current[4] = 2;
    assertThat(summary.isStale(current)).isTrue();
  }

  @Test
  void refusesACategoryWithoutProducts() {
    assertThatThrownBy(() -> CategorySummary.of(3, List.of())).hasMessageContaining("3");
  }
}
