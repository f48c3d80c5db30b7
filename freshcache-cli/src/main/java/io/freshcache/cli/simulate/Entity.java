package io.freshcache.cli.simulate;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of data of the domain workload, each cached in a cache of its own on every instance:
 * what its keys are named, how much of the read traffic it gets, how often it changes on its own,
 * how big a value is, and what a load costs. Base entities are rows of the database; the {@link
 * #derived() derived} ones (feed, recommendations, dashboard) are computed from other entries and
 * declare them with {@code dependsOn}; a category's product list is a query over its products'
 * prices.
 */
enum Entity {
  PROFILE("profile", "user:profile:", 0.14, 0.5, 1_024, 1),
  PREFERENCES("preferences", "user:preferences:", 0.08, 0.3, 320, 1),
  PERMISSIONS("permissions", "user:permissions:", 0.10, 0.1, 200, 1),
  PRODUCT("product", "product:details:", 0.14, 0.2, 2_048, 1),
  PRICE("price", "product:price:", 0.18, 20, 64, 1),
  CATEGORY_LIST("category-list", "category:", 0.08, 0, 1_600, 2),
  INVENTORY("inventory", "product:inventory:", 0.10, 10, 64, 1),
  REPORT("report", "analytics:report:", 0.01, 0, 48_000, 25),
  FEED("feed", "feed:user:", 0.08, 0, 4_096, 1),
  RECOMMENDATIONS("recommendations", "recommendations:", 0.05, 0, 1_024, 1),
  DASHBOARD("dashboard", "dashboard:user:", 0.04, 0, 8_192, 1);

  private final String label;
  private final String prefix;
  private final double readShare;
  private final double writesPerSecond;
  private final int valueBytes;
  private final int loadCost;

  Entity(
      String label,
      String prefix,
      double readShare,
      double writesPerSecond,
      int valueBytes,
      int loadCost) {
    this.label = label;
    this.prefix = prefix;
    this.readShare = readShare;
    this.writesPerSecond = writesPerSecond;
    this.valueBytes = valueBytes;
    this.loadCost = loadCost;
  }

  /** The name users type and see. */
  String label() {
    return label;
  }

  /** The cache's key prefix: a key's name on the bus is this prefix and the key. */
  String prefix() {
    return prefix;
  }

  /** The share of the workload's reads that go to this entity. */
  double readShare() {
    return readShare;
  }

  /** Single-key writes per simulated second, by default; bulk events come on top. */
  double writesPerSecond() {
    return writesPerSecond;
  }

  /** The size of one value's body, in bytes (characters of ASCII). */
  int valueBytes() {
    return valueBytes;
  }

  /** A load costs this many times the workload's source latency (a report is expensive). */
  int loadCost() {
    return loadCost;
  }

  /** Whether this entity is computed from other entries rather than read from a row. */
  boolean derived() {
    return this == FEED || this == RECOMMENDATIONS || this == DASHBOARD;
  }

  /** Whether this entity has a row of its own that a write changes (and write-through can put). */
  boolean hasRow() {
    return !derived() && this != CATEGORY_LIST;
  }

  /** The cache's name in its group. */
  String cacheName() {
    return label;
  }

  /** The domain event a write of this entity publishes. */
  String eventType() {
    return switch (this) {
      case PROFILE, PREFERENCES, PERMISSIONS, FEED, RECOMMENDATIONS, DASHBOARD -> "user.updated";
      case PRODUCT, PRICE, CATEGORY_LIST -> "product.price_changed";
      case INVENTORY -> "inventory.stock_changed";
      case REPORT -> "report.regenerated";
    };
  }

  /** The entity called {@code label}, ignoring case. */
  static Entity named(String label) {
    for (Entity e : values()) {
      if (e.label.equalsIgnoreCase(label.strip())) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown entity '" + label + "'; valid names are: " + labels());
  }

  static String labels() {
    StringBuilder s = new StringBuilder();
    for (Entity e : values()) {
      s.append(s.length() == 0 ? "" : ", ").append(e.label);
    }
    return s.toString();
  }

  /** Every entity, base ones first. */
  static List<Entity> all() {
    return List.of(values());
  }

  @Override
  public String toString() {
    return label.toLowerCase(Locale.ROOT);
  }
}
