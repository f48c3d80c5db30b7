package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoriesTest {

  @Test
  void everyProductIsInExactlyOneCategoryAndItsCategoryListsIt() {
    Categories categories = Categories.of(2_000);
    List<Long> seen = new ArrayList<>();

    for (long c = 1; c <= categories.count(); c++) {
      for (long id : categories.productsOf(c)) {
        assertThat(categories.categoryOf(id)).isEqualTo(c);
        seen.add(id);
      }
    }

    assertThat(seen).hasSize(2_000).doesNotHaveDuplicates();
  }

  @Test
  void categoriesHoldAboutTenProductsAndSpreadTheHottestOnes() {
    Categories categories = Categories.of(2_000);

    assertThat(categories.count()).isEqualTo(2_000 / Categories.PRODUCTS_PER_CATEGORY);
    assertThat(categories.productsOf(1)).hasSize(Categories.PRODUCTS_PER_CATEGORY);
    assertThat(categories.categoryOf(1)).isNotEqualTo(categories.categoryOf(2));
  }

  @Test
  void aSmallTableIsOneCategoryAndAnUnevenOneHasSmallerLastCategories() {
    assertThat(Categories.of(3).count()).isEqualTo(1);
    assertThat(Categories.of(3).productsOf(1)).containsExactly(1, 2, 3);
    Categories uneven = Categories.of(23);
    assertThat(uneven.count()).isEqualTo(3);
    assertThat(uneven.productsOf(1)).containsExactly(1, 4, 7, 10, 13, 16, 19, 22);
    assertThat(uneven.productsOf(3)).hasSize(7).endsWith(21);
  }

  @Test
  void namesTheTagOfACategoryAndRefusesUnknownIds() {
    assertThat(Categories.tag(7)).isEqualTo("category:7");
    Categories categories = Categories.of(100);
    assertThatThrownBy(() -> categories.categoryOf(101)).hasMessageContaining("101");
    assertThatThrownBy(() -> categories.productsOf(0)).hasMessageContaining("0");
  }
}
