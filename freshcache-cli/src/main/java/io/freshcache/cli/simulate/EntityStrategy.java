package io.freshcache.cli.simulate;

import java.time.Duration;

/**
 * How one entity is cached in a {@link Scenario}, and how a write of it reaches the other
 * instances.
 */
enum EntityStrategy {
  NONE("none", "no cache: every read queries the source (or recomputes the view)"),
  TTL("ttl", "ttl(10s): a write changes the row and nothing else"),
  SMART_TTL(
      "smart-ttl",
      "adaptive TTL from access frequency and volatility presets (base 1 h, 5 min..24 h, ±20%"
          + " jitter); a write changes the row and nothing else"),
  EVENT(
      "event",
      "the writer publishes the domain event (user.updated, product.price_changed, ...) naming the"
          + " keys to delete, a category's list pattern, or for a bulk change every key it touched"),
  WRITE_THROUGH(
      "write-through",
      "versioned entries (.version), put through the cache (Writes.through): the row, then this"
          + " instance's cache; the other instances drop theirs"),
  TAGS(
      "tags",
      "entries tagged (warehouse:<w>, category:<c>, region:<r>, ...); a bulk change invalidates"
          + " one tag, a single write its key"),
  CASCADE(
      "cascade",
      "derived entries declare what they were computed from (dependsOn); a change of a source row"
          + " is published as a cascade from its key");

  /** The lifetime of every entry of a strategy that invalidates: a safety net. */
  static final Duration SAFETY_TTL = Duration.ofMinutes(10);

  /** The lifetime of {@link #TTL}'s entries. */
  static final Duration TTL_LIFETIME = Duration.ofSeconds(10);

  private final String label;
  private final String description;

  EntityStrategy(String label, String description) {
    this.label = label;
    this.description = description;
  }

  String label() {
    return label;
  }

  String description() {
    return description;
  }

  /** Whether reads go through a cache at all. */
  boolean caches() {
    return this != NONE;
  }

  /** Why this strategy cannot serve {@code entity}, or {@code null} if it can. */
  String refusal(Entity entity) {
    if (this == WRITE_THROUGH && !entity.hasRow()) {
      return "write-through needs an entity with a row of its own; "
          + entity.label()
          + " is computed: use cascade, event or tags";
    }
    if (this == CASCADE && entity.hasRow()) {
      return "cascade is for computed entities (feed, recommendations, dashboard, category-list);"
          + " "
          + entity.label()
          + " is a row: use event, write-through or tags";
    }
    return null;
  }

  /** The strategy called {@code label}, ignoring case. */
  static EntityStrategy named(String label) {
    for (EntityStrategy s : values()) {
      if (s.label.equalsIgnoreCase(label.strip())) {
        return s;
      }
    }
    StringBuilder names = new StringBuilder();
    for (EntityStrategy s : values()) {
      names.append(names.length() == 0 ? "" : ", ").append(s.label);
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + label.strip() + "'; valid strategies are: " + names);
  }

  /**
   * The adaptive-TTL presets: how often an entity is read (0..10) and how volatile it is (0..1).
   * Profiles, prices and reports follow the classic examples; the others are set in their spirit.
   */
  static double[] smartPreset(Entity entity) {
    return switch (entity) {
      case PROFILE -> new double[] {5.0, 0.1};
      case PRICE -> new double[] {8.0, 0.8};
      case REPORT -> new double[] {1.0, 0.1};
      case PREFERENCES -> new double[] {3.0, 0.2};
      case PERMISSIONS -> new double[] {3.0, 0.1};
      case PRODUCT -> new double[] {6.0, 0.2};
      case CATEGORY_LIST -> new double[] {4.0, 0.5};
      case INVENTORY -> new double[] {4.0, 0.7};
      case FEED -> new double[] {5.0, 0.5};
      case RECOMMENDATIONS -> new double[] {2.0, 0.3};
      case DASHBOARD -> new double[] {2.0, 0.4};
    };
  }

  /**
   * The smart TTL of {@code entity} before jitter: one hour times {@code 0.5 + 0.7 f/10 + 0.3 (1 -
   * v)}, for its frequency {@code f} (capped at 10) and volatility {@code v} (capped at 1).
   */
  static Duration smartTtl(Entity entity) {
    double[] preset = smartPreset(entity);
    double frequency = Math.min(preset[0], 10.0) / 10.0;
    double stability = 1.0 - Math.min(preset[1], 1.0);
    double multiplier = 0.5 + frequency * 0.7 + stability * 0.3;
    return Duration.ofSeconds(Math.round(3600 * multiplier));
  }
}
