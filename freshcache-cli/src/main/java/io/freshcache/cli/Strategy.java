package io.freshcache.cli;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A strategy {@code freshcache simulate} compares: the name users type in {@code --strategies} and
 * see in the report, and the freshcache configuration it stands for. The {@link TimeStrategy
 * time-based} ones run on one instance, with writes behind the cache's back.
 */
sealed interface Strategy permits TimeStrategy {

  /** The name users type in {@code --strategies} and see in the report. */
  String label();

  /** The configuration, as calls of the freshcache API, in one line. */
  String description();

  /** Every strategy, in the order of the report. */
  static List<Strategy> catalogue() {
    return List.copyOf(Arrays.asList(TimeStrategy.values()));
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
