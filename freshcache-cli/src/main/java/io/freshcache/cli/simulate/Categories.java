package io.freshcache.cli.simulate;

/**
 * How the simulator's products fall into categories: product {@code id} belongs to category {@code
 * (id - 1) % count + 1}, so the hottest products (the lowest ids) are spread over every category
 * rather than crowded into the first. About {@link #PRODUCTS_PER_CATEGORY} products per category.
 * Immutable.
 *
 * @param products the number of products, ids {@code 1..products}, at least 1
 * @param count the number of categories, ids {@code 1..count}, at least 1
 */
record Categories(int products, int count) {

  /** How many products a category holds, about: few enough that repricing one stays cheap. */
  static final int PRODUCTS_PER_CATEGORY = 10;

  Categories {
    if (products < 1 || count < 1 || count > products) {
      throw new IllegalArgumentException(
          "need 1 <= categories <= products, was " + count + " categories of " + products);
    }
  }

  /** The categories of {@code products} products. */
  static Categories of(int products) {
    int count = Math.max(1, (products + PRODUCTS_PER_CATEGORY - 1) / PRODUCTS_PER_CATEGORY);
    return new Categories(products, count);
  }

  /** The category of product {@code id}. */
  long categoryOf(long id) {
    if (id < 1 || id > products) {
      throw new IllegalArgumentException("no product " + id + " (ids are 1.." + products + ")");
    }
    return (id - 1) % count + 1;
  }

  /** The ids of the products in {@code category}, in increasing order. */
  long[] productsOf(long category) {
    if (category < 1 || category > count) {
      throw new IllegalArgumentException("no category " + category + " (ids are 1.." + count + ")");
    }
    int size = (int) ((products - category) / count + 1);
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) {
      ids[i] = category + (long) i * count;
    }
    return ids;
  }

  /** The tag every product of {@code category} carries: {@code category:<id>}. */
  static String tag(long category) {
    return "category:" + category;
  }
}
