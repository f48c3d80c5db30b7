package io.freshcache.cli.simulate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer for one entity: of the strategies the scenarios gave it, those on the trade-off
 * frontier (no other had both fewer stale reads and fewer source reads), and the one to pick: the
 * fewest stale reads, then the fewest source reads. Immutable.
 *
 * @param entity the entity
 * @param pick the strategy to pick, with the scenario it was measured in
 * @param frontier every strategy on the frontier, the pick first
 * @param why one sentence
 */
record Recommendation(Entity entity, Point pick, List<Point> frontier, String why) {

  /** One strategy's cost and staleness for the entity, in one scenario. */
  record Point(
      EntityStrategy strategy,
      String scenario,
      double sourceReadsPerSecond,
      long staleReads,
      long worstStalenessNanos) {}

  /** Source loads closer than this share count as equal: noise, not a difference. */
  private static final double SAME_LOAD = 0.02;

  /** The recommendation for every entity, in entity order. */
  static List<Recommendation> of(List<ScenarioResult> results) {
    List<Recommendation> all = new ArrayList<>();
    if (results.isEmpty()) {
      return all;
    }
    for (Entity e : Entity.values()) {
      all.add(of(e, results));
    }
    return all;
  }

  static Recommendation of(Entity e, List<ScenarioResult> results) {
    Map<EntityStrategy, Point> best = new LinkedHashMap<>();
    for (ScenarioResult r : results) {
      EntityResult m = r.of(e);
      Point p =
          new Point(
              m.strategy(),
              r.scenario().name(),
              m.sourceReadsPerSecond(),
              m.staleReads(),
              m.worstStalenessNanos());
      best.merge(m.strategy(), p, (a, b) -> ORDER.compare(a, b) <= 0 ? a : b);
    }
    List<Point> points = new ArrayList<>(best.values());
    List<Point> frontier = new ArrayList<>();
    for (Point p : points) {
      boolean dominated = false;
      for (Point q : points) {
        if (q != p && lessOrSame(q, p) && (q.staleReads < p.staleReads || cheaper(q, p))) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        frontier.add(p);
      }
    }
    frontier.sort(ORDER);
    // A tie goes to a strategy that invalidates: it stays fresh when writes come that this run
    // happened not to read; a TTL that tied only did not meet them.
    Point first = frontier.get(0);
    for (Point p : frontier) {
      if (!timeBased(p.strategy()) && p.staleReads() == first.staleReads() && !cheaper(first, p)) {
        frontier.remove(p);
        frontier.add(0, p);
        break;
      }
    }
    Point pick = frontier.get(0);
    return new Recommendation(e, pick, List.copyOf(frontier), why(e, pick, frontier, results));
  }

  private static final Comparator<Point> ORDER =
      Comparator.comparingLong(Point::staleReads).thenComparingDouble(Point::sourceReadsPerSecond);

  private static boolean cheaper(Point q, Point p) {
    return q.sourceReadsPerSecond < p.sourceReadsPerSecond * (1 - SAME_LOAD);
  }

  private static boolean lessOrSame(Point q, Point p) {
    return q.staleReads <= p.staleReads
        && q.sourceReadsPerSecond <= p.sourceReadsPerSecond * (1 + SAME_LOAD);
  }

  private static String why(
      Entity e, Point pick, List<Point> frontier, List<ScenarioResult> results) {
    StringBuilder why = new StringBuilder();
    why.append(pick.strategy().label())
        .append(" (")
        .append(pick.scenario())
        .append("): ")
        .append(Format.count(pick.staleReads()))
        .append(pick.staleReads() == 1 ? " stale read" : " stale reads")
        .append(" at ")
        .append(Format.rate(pick.sourceReadsPerSecond()))
        .append(" source reads/s");
    List<String> same = new ArrayList<>();
    List<String> trades = new ArrayList<>();
    for (Point other : frontier.subList(1, frontier.size())) {
      if (other.staleReads() == pick.staleReads() && !cheaper(other, pick)) {
        same.add(other.strategy().label());
      } else {
        trades.add(
            other.strategy().label()
                + " saves "
                + Format.rate(pick.sourceReadsPerSecond() - other.sourceReadsPerSecond())
                + " reads/s but serves "
                + Format.count(other.staleReads())
                + " stale (worst "
                + Format.seconds(other.worstStalenessNanos())
                + ")");
      }
    }
    if (!same.isEmpty()) {
      why.append("; as good here: ").append(String.join(", ", same));
    }
    for (String trade : trades) {
      why.append("; ").append(trade);
    }
    if (timeBased(pick.strategy()) && pick.staleReads() == 0 && changes(e, results)) {
      why.append(
          " (its rows changed too rarely for a stale read in this run: a longer run"
              + " tests that)");
    }
    if (frontier.size() == 1 && same.isEmpty()) {
      why.append("; nothing else was as fresh for as little load");
    }
    return why.toString();
  }

  private static boolean timeBased(EntityStrategy s) {
    return s == EntityStrategy.TTL || s == EntityStrategy.SMART_TTL;
  }

  /** Whether any source row behind {@code e} was written in the run. */
  private static boolean changes(Entity e, List<ScenarioResult> results) {
    for (ScenarioResult r : results) {
      for (Entity source : sourcesOf(e)) {
        if (r.of(source).sourceWritesPerSecond() > 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Entity> sourcesOf(Entity e) {
    return switch (e) {
      case FEED -> List.of(Entity.PROFILE);
      case RECOMMENDATIONS -> List.of(Entity.PREFERENCES);
      case DASHBOARD -> List.of(Entity.PROFILE, Entity.PREFERENCES, Entity.PERMISSIONS);
      case CATEGORY_LIST -> List.of(Entity.PRICE);
      default -> List.of(e);
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s: %s", entity.label(), why);
  }
}
