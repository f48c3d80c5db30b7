package io.freshcache.cli.simulate;

import java.util.Collection;

/**
 * A value derived from other cached values: a category's price range, computed from its products,
 * with the version of each product it was computed from. It is stale as soon as one of those
 * products has a newer version than the one it saw, beyond the tolerance ({@link #isStale}).
 * Immutable.
 */
final class CategorySummary {

  private final long category;
  private final long minPriceCents;
  private final long maxPriceCents;
  private final long[] ids;
  private final long[] versions;

  private CategorySummary(
      long category, long minPriceCents, long maxPriceCents, long[] ids, long[] versions) {
    this.category = category;
    this.minPriceCents = minPriceCents;
    this.maxPriceCents = maxPriceCents;
    this.ids = ids;
    this.versions = versions;
  }

  /**
   * The summary of {@code products}, the whole of {@code category}.
   *
   * @throws IllegalArgumentException if there are no products
   */
  static CategorySummary of(long category, Collection<Product> products) {
    if (products.isEmpty()) {
      throw new IllegalArgumentException("category " + category + " has no products");
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long[] ids = new long[products.size()];
    long[] versions = new long[products.size()];
    int i = 0;
    for (Product product : products) {
      min = Math.min(min, product.priceCents());
      max = Math.max(max, product.priceCents());
      ids[i] = product.id();
      versions[i] = product.version();
      i++;
    }
    return new CategorySummary(category, min, max, ids, versions);
  }

  long category() {
    return category;
  }

  long minPriceCents() {
    return minPriceCents;
  }

  long maxPriceCents() {
    return maxPriceCents;
  }

  /** The ids of the products it was computed from. */
  long[] productIds() {
    return ids.clone();
  }

  /** Whether any product it was computed from is older than {@code current[id]}. */
  boolean isStale(long[] current) {
    for (int i = 0; i < ids.length; i++) {
      if (versions[i] < current[(int) ids[i]]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether any product it was computed from is older than the version {@code truth} says was due
   * for a read that began at {@code startNanos}; {@code names} are the products' keys, by id.
   */
  boolean isStale(Truth truth, String[] names, long startNanos) {
    for (int i = 0; i < ids.length; i++) {
      if (truth.staleness(names[(int) ids[i]], versions[i], startNanos) > 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "CategorySummary[category "
        + category
        + ", "
        + ids.length
        + " products, "
        + minPriceCents
        + "-"
        + maxPriceCents
        + " cents]";
  }
}
