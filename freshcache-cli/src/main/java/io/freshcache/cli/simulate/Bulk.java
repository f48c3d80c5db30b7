package io.freshcache.cli.simulate;

import java.time.Duration;

/**
 * The bulk events of the domain workload: one change that touches many rows at once, and the domain
 * event it publishes. Two of them delete: a user's rows, or a discontinued product's; a deleted row
 * stays deleted for the rest of the run, and later writes of it are skipped.
 */
enum Bulk {
  /** Every price of one category changes; its product list too. */
  CATEGORY("category", "category.products_updated", Duration.ofSeconds(15)),
  /** Every stock of one warehouse changes. */
  WAREHOUSE("warehouse", "inventory.batch_updated", Duration.ofSeconds(20)),
  /** Every user of one region moves: their profiles change, and what is derived from them. */
  REGION("region", "region.users_migrated", Duration.ofSeconds(30)),
  /** Every analytics report is regenerated. */
  REPORTS("reports", "report.regenerated", Duration.ofSeconds(30)),
  /**
   * One user is deleted: their profile, preferences and permissions, and what is made from them.
   */
  USER_DELETION("user-deletion", "user.deleted", Duration.ofSeconds(8)),
  /** One product is discontinued: its details, price and stocks go, and it leaves its list. */
  DISCONTINUATION("discontinuation", "product.discontinued", Duration.ofSeconds(12));

  private final String label;
  private final String eventType;
  private final Duration defaultEvery;

  Bulk(String label, String eventType, Duration defaultEvery) {
    this.label = label;
    this.eventType = eventType;
    this.defaultEvery = defaultEvery;
  }

  String label() {
    return label;
  }

  String eventType() {
    return eventType;
  }

  Duration defaultEvery() {
    return defaultEvery;
  }

  /** The entity whose rows it rewrites; of a deletion, the first of those it deletes. */
  Entity rows() {
    return switch (this) {
      case CATEGORY -> Entity.PRICE;
      case WAREHOUSE -> Entity.INVENTORY;
      case REGION, USER_DELETION -> Entity.PROFILE;
      case REPORTS -> Entity.REPORT;
      case DISCONTINUATION -> Entity.PRODUCT;
    };
  }

  /** Whether it deletes rows rather than rewriting them. */
  boolean deletes() {
    return this == USER_DELETION || this == DISCONTINUATION;
  }

  /**
   * How many targets it picks from in {@code domain}: categories, warehouses, regions, 1, users,
   * products.
   */
  int targets(Domain domain) {
    return switch (this) {
      case CATEGORY -> domain.categories();
      case WAREHOUSE -> domain.warehouses();
      case REGION -> domain.regions();
      case REPORTS -> 1;
      case USER_DELETION -> domain.users();
      case DISCONTINUATION -> domain.products();
    };
  }

  /** The bulk event called {@code label} (as in a trace's entity column), ignoring case. */
  static Bulk named(String label) {
    for (Bulk b : values()) {
      if (b.label.equalsIgnoreCase(label.strip())) {
        return b;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (Bulk b : values()) {
      valid.append(valid.length() == 0 ? "" : ", ").append(b.label);
    }
    throw new IllegalArgumentException(
        "unknown bulk event '" + label.strip() + "'; valid ones are: " + valid);
  }
}
