package io.freshcache.cli.simulate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A named assignment of a strategy to every entity: what {@code freshcache simulate} compares.
 * Immutable.
 *
 * @param name what users type in {@code --scenarios} and see in the report
 * @param description one line
 * @param strategies the strategy of every entity
 */
record Scenario(String name, String description, Map<Entity, EntityStrategy> strategies) {

  Scenario {
    strategies = Map.copyOf(strategies);
    for (Entity e : Entity.values()) {
      EntityStrategy s = strategies.get(e);
      if (s == null) {
        throw new IllegalArgumentException(
            "scenario " + name + " has no strategy for " + e.label());
      }
      String refusal = s.refusal(e);
      if (refusal != null) {
        throw new IllegalArgumentException(refusal);
      }
    }
  }

  EntityStrategy of(Entity entity) {
    return strategies.get(entity);
  }

  /** Every scenario built in, in the order of the report. */
  static List<Scenario> catalogue() {
    List<Scenario> all = new ArrayList<>();
    all.add(uniform("no-cache", "no cache anywhere: the baseline", EntityStrategy.NONE));
    all.add(
        uniform("ttl-everywhere", "ttl(10s) on every entity, nothing else", EntityStrategy.TTL));
    all.add(
        uniform(
            "smart-ttl",
            "adaptive TTL presets per entity (hours), nothing else",
            EntityStrategy.SMART_TTL));
    all.add(
        uniform(
            "event-driven",
            "every write publishes its domain event naming what to delete",
            EntityStrategy.EVENT));
    Map<Entity, EntityStrategy> tuned = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      tuned.put(e, e.hasRow() ? EntityStrategy.EVENT : EntityStrategy.CASCADE);
    }
    tuned.put(Entity.PRICE, EntityStrategy.WRITE_THROUGH);
    tuned.put(Entity.INVENTORY, EntityStrategy.TAGS);
    all.add(
        new Scenario(
            "tuned",
            "write-through prices + tags for inventory + cascade for derived views; events for the"
                + " rest",
            tuned));
    Map<Entity, EntityStrategy> through = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      through.put(e, e.hasRow() ? EntityStrategy.WRITE_THROUGH : EntityStrategy.CASCADE);
    }
    all.add(
        new Scenario(
            "write-through",
            "versioned write-through for every row, cascade for derived views",
            through));
    return List.copyOf(all);
  }

  private static Scenario uniform(String name, String description, EntityStrategy strategy) {
    Map<Entity, EntityStrategy> all = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      all.put(e, strategy);
    }
    return new Scenario(name, description, all);
  }

  /** The built-in scenario called {@code name}, ignoring case. */
  static Scenario named(String name) {
    for (Scenario s : catalogue()) {
      if (s.name.equalsIgnoreCase(name.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + name.strip() + "'; valid scenarios are: " + names());
  }

  static String names() {
    return catalogue().stream().map(Scenario::name).collect(Collectors.joining(", "));
  }

  /**
   * A scenario of the user's own from {@code entity=strategy} assignments; {@code *=strategy} sets
   * every entity not named, and entities left out fall back to {@code ttl}.
   *
   * @throws IllegalArgumentException naming the bad assignment and what is valid
   */
  static Scenario custom(List<String> assignments) {
    Map<Entity, EntityStrategy> chosen = new EnumMap<>(Entity.class);
    EntityStrategy rest = EntityStrategy.TTL;
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "'"
                + assignment
                + "' is not ENTITY=STRATEGY; e.g. --strategies price=write-through,*=event");
      }
      String entity = assignment.substring(0, eq).strip();
      EntityStrategy strategy = EntityStrategy.named(assignment.substring(eq + 1));
      if (entity.equals("*")) {
        rest = strategy;
      } else {
        chosen.put(Entity.named(entity), strategy);
      }
    }
    Map<Entity, EntityStrategy> all = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      EntityStrategy s = chosen.getOrDefault(e, rest);
      if (!chosen.containsKey(e) && s.refusal(e) != null) {
        s = e.hasRow() ? EntityStrategy.EVENT : EntityStrategy.CASCADE; // '*' where it cannot apply
      }
      all.put(e, s);
    }
    return new Scenario("custom", String.join(",", assignments), all);
  }
}
