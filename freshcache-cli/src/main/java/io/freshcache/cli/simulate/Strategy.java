package io.freshcache.cli.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A strategy {@code freshcache simulate} compares: the name users type in {@code --strategies} and
 * see in the report, and the freshcache configuration it stands for. Two families: the {@link
 * TimeStrategy time-based} ones run on one instance, with writes behind the cache's back; the
 * {@link InvalidationStrategy invalidation} ones run on several instances sharing a bus, with
 * writes through the strategy's own write path.
 */
sealed interface Strategy permits TimeStrategy, InvalidationStrategy {

  /** The name users type in {@code --strategies} and see in the report. */
  String label();

  /** The configuration, as calls of the freshcache API, in one line. */
  String description();

  /**
   * Every strategy, in the order of the report: the time-based ones, then the invalidation ones.
   */
  static List<Strategy> catalogue() {
    List<Strategy> all = new ArrayList<>();
    all.addAll(Arrays.asList(TimeStrategy.values()));
    all.addAll(Arrays.asList(InvalidationStrategy.values()));
    return List.copyOf(all);
  }

  /**
   * The strategy called {@code label}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the valid labels if there is none
   */
  static Strategy named(String label) {
    for (Strategy strategy : catalogue()) {
      if (strategy.label().equalsIgnoreCase(label.strip())) {
        return strategy;
      }
    }
    throw new IllegalArgumentException(
        "unknown strategy '" + label + "'; valid names are: " + labels());
  }

  /** Every label, comma-separated, in catalogue order. */
  static String labels() {
    return catalogue().stream().map(Strategy::label).collect(Collectors.joining(", "));
  }
}
