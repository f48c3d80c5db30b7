package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The domain workload's replay, in process, on short runs: what each scenario leaves stale. */
class DomainSimulationTest {

  /** A small domain, so that every key is read and written a few times in seconds. */
  static final Domain SMALL = new Domain(200, 5, 100, 10, 2, 5);

  static DomainWorkload workload(long seconds, Map<Entity, Double> writes) {
    Map<Entity, Double> rates = DomainWorkload.defaultWriteRates();
    rates.putAll(writes);
    Map<Bulk, Duration> every = DomainWorkload.defaultBulkEvery();
    // A user deleted and a product discontinued every 2 s and 3 s: a short run has both.
    every.put(Bulk.USER_DELETION, Duration.ofSeconds(2));
    every.put(Bulk.DISCONTINUATION, Duration.ofSeconds(3));
    return new DomainWorkload(
        SMALL,
        seconds * 1_000_000_000L,
        400,
        1.0,
        11,
        4,
        Duration.ofMillis(2),
        rates,
        every,
        0,
        false);
  }

  static List<ScenarioResult> run(DomainWorkload w, DomainOps ops, List<Scenario> scenarios)
      throws Exception {
    return new DomainSimulation(w, ops, null, DomainReplay.Fleet.inProcess())
        .run(scenarios, DomainSimulation.Progress.NONE);
  }

  /** ttl-everywhere and tuned over 15 s with 50 price writes a second, run once for two tests. */
  private static List<ScenarioResult> frequentPriceWrites;

  private static synchronized List<ScenarioResult> frequentPriceWrites() throws Exception {
    if (frequentPriceWrites == null) {
      DomainWorkload w = workload(15, Map.of(Entity.PRICE, 50.0));
      frequentPriceWrites =
          run(
              w,
              DomainOps.generated(w),
              List.of(Scenario.named("ttl-everywhere"), Scenario.named("tuned")));
    }
    return frequentPriceWrites;
  }

  @Test
  void ttlOnlyServesStalePricesWhenPricesChangeOftenAndVersionedWriteThroughNever()
      throws Exception {
    List<ScenarioResult> results = frequentPriceWrites();

    EntityResult ttl = results.get(0).of(Entity.PRICE);
    EntityResult writeThrough = results.get(1).of(Entity.PRICE);
    assertThat(ttl.strategy()).isEqualTo(EntityStrategy.TTL);
    assertThat(writeThrough.strategy()).isEqualTo(EntityStrategy.WRITE_THROUGH);
    assertThat(ttl.reads()).isEqualTo(writeThrough.reads()).isPositive();
    assertThat(ttl.staleReads()).isPositive();
    assertThat(ttl.worstStalenessNanos()).isPositive();
    assertThat(writeThrough.staleReads()).isZero();
    assertThat(writeThrough.sourceWritesPerSecond()).isEqualTo(ttl.sourceWritesPerSecond());
    // The lists shown from those prices are kept fresh by the cascade, and left stale by TTL.
    assertThat(results.get(1).of(Entity.CATEGORY_LIST).staleReads()).isZero();
    assertThat(results.get(0).of(Entity.CATEGORY_LIST).staleReads()).isPositive();
  }

  /**
   * The instances' freshness verifiers, sampling hits and checking them against the database, see
   * what the ground truth sees: TTL alone leaves prices stale behind the cache's back, and the
   * estimate's 95% interval holds the true share of stale hits; write-through with versions and the
   * cascade leave nothing stale, and the verifiers catch nothing.
   */
  @Test
  void theVerifiersEstimateAgreesWithTheGroundTruth() throws Exception {
    List<ScenarioResult> results = frequentPriceWrites();

    EntityResult ttl = results.get(0).of(Entity.PRICE);
    assertThat(ttl.verifierChecked()).as("checks made").isGreaterThan(100);
    double truth = ttl.staleHitRate();
    assertThat(truth).isPositive();
    io.freshcache.stats.VerifierStats estimate = ttl.verification();
    System.out.printf(
        "verifier on ttl prices: %.2f%% (%.2f-%.2f%%, %d checks); ground truth %.2f%% of %d"
            + " hits%n",
        estimate.staleRate() * 100,
        estimate.staleRateLow() * 100,
        estimate.staleRateHigh() * 100,
        ttl.verifierChecked(),
        truth * 100,
        ttl.hits());
    // Not quite the same population (the verifiers also sample hits made inside loads of the
    // views, and judge after the tolerance from the check, not from the write), hence a margin.
    assertThat(truth).isBetween(estimate.staleRateLow() * 0.8, estimate.staleRateHigh() * 1.2);
    for (Entity e : List.of(Entity.PRICE, Entity.CATEGORY_LIST)) {
      EntityResult tuned = results.get(1).of(e);
      assertThat(tuned.staleReads()).isZero();
      assertThat(tuned.verifierChecked()).as("%s checks", e).isPositive();
      assertThat(tuned.verifierStale()).as("%s caught stale", e).isZero();
    }
  }

  /**
   * Every instance reads user 7's feed and dashboard, the profile changes on one instance, and
   * every instance reads them again.
   */
  private static List<DomainOp> profileUpdateSeenByEveryInstance() {
    List<DomainOp> ops = new ArrayList<>();
    long t = 1_000_000;
    for (Entity e : List.of(Entity.FEED, Entity.DASHBOARD)) {
      for (int i = 0; i < 4; i++) {
        ops.add(DomainOp.read(t += 1_000_000, e, 7));
      }
    }
    ops.add(DomainOp.write(t += 1_000_000, Entity.PROFILE, 7, 0));
    for (Entity e : List.of(Entity.FEED, Entity.DASHBOARD)) {
      for (int i = 0; i < 4; i++) {
        ops.add(DomainOp.read(t += 1_000_000, e, 7));
      }
    }
    return ops;
  }

  @Test
  void aProfileUpdateInvalidatesTheDerivedFeedAndDashboardOnEveryInstance() throws Exception {
    DomainWorkload w = workload(1, Map.of());
    DomainOps ops = DomainOps.recorded(profileUpdateSeenByEveryInstance());
    List<ScenarioResult> results =
        run(
            w,
            ops,
            List.of(
                Scenario.named("tuned"),
                Scenario.named("event-driven"),
                Scenario.named("ttl-everywhere")));

    for (ScenarioResult r : results.subList(0, 2)) {
      for (Entity derived : List.of(Entity.FEED, Entity.DASHBOARD)) {
        EntityResult m = r.of(derived);
        assertThat(m.staleReads()).as(r.scenario().name() + " " + derived).isZero();
        // Four instances computed it before the write, and each computed it again after: the
        // operations alternate over the instances, four in a row reach every one.
        assertThat(m.reads()).isEqualTo(8);
        assertThat(m.hits()).as(r.scenario().name() + " " + derived).isZero();
      }
    }
    assertThat(results.get(0).of(Entity.FEED).strategy()).isEqualTo(EntityStrategy.CASCADE);
    // Without invalidation, every instance keeps serving what it computed from the old profile.
    ScenarioResult ttl = results.get(2);
    assertThat(ttl.of(Entity.FEED).staleReads()).isEqualTo(4);
    assertThat(ttl.of(Entity.DASHBOARD).staleReads()).isEqualTo(4);
  }

  /**
   * Every instance reads {@code entities} at {@code index}, {@code bulk} deletes its target, and
   * every instance reads them again: four reads in a row of one key reach the four instances.
   */
  private static List<DomainOp> readDeleteRead(List<Entity> entities, int[] indexes, Bulk bulk) {
    List<DomainOp> ops = new ArrayList<>();
    long t = 1_000_000;
    for (int round = 0; round < 2; round++) {
      if (round == 1) {
        ops.add(DomainOp.event(t += 1_000_000, bulk, indexes[0]));
      }
      for (int e = 0; e < entities.size(); e++) {
        for (int i = 0; i < 4; i++) {
          ops.add(DomainOp.read(t += 1_000_000, entities.get(e), indexes[e]));
        }
      }
    }
    return ops;
  }

  private static final List<String> INVALIDATING =
      List.of("event-driven", "tuned", "write-through");

  /**
   * A read after the deletion is judged by the deletion, the row's next version: only the source's
   * answer for a deleted row is that new, so no stale read means no instance served what it had
   * cached of the user, and every instance read the deletion from the source.
   */
  @Test
  void aDeletedUsersProfileAndDerivedViewsAreServedOnNoInstanceAfterTheEvent() throws Exception {
    List<Entity> read = List.of(Entity.PROFILE, Entity.FEED, Entity.DASHBOARD);
    DomainOps ops =
        DomainOps.recorded(readDeleteRead(read, new int[] {7, 7, 7}, Bulk.USER_DELETION));
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : INVALIDATING) {
      scenarios.add(Scenario.named(name));
    }
    scenarios.add(Scenario.named("ttl-everywhere"));
    List<ScenarioResult> results = run(workload(1, Map.of()), ops, scenarios);

    for (ScenarioResult r : results.subList(0, INVALIDATING.size())) {
      assertThat(r.messagesSent()).as(r.scenario().name()).isPositive();
      for (Entity e : read) {
        EntityResult m = r.of(e);
        assertThat(m.reads()).isEqualTo(8);
        assertThat(m.staleReads()).as(r.scenario().name() + " " + e).isZero();
        // Every instance cached it before (a miss each) and dropped it on the event (a miss each).
        assertThat(m.hits()).as(r.scenario().name() + " " + e).isZero();
      }
      assertThat(r.of(Entity.PROFILE).sourceWritesPerSecond())
          .isEqualTo(r.of(Entity.PERMISSIONS).sourceWritesPerSecond())
          .isPositive();
    }
    // Without invalidation every instance keeps serving the deleted user.
    ScenarioResult ttl = results.get(INVALIDATING.size());
    for (Entity e : read) {
      assertThat(ttl.of(e).staleReads()).as(e.label()).isEqualTo(4);
    }
  }

  @Test
  void aDiscontinuedProductIsServedFromNoInstance() throws Exception {
    Domain d = SMALL;
    int product = 3;
    List<Entity> read =
        List.of(Entity.PRODUCT, Entity.PRICE, Entity.INVENTORY, Entity.CATEGORY_LIST);
    int[] indexes = {product, product, d.stockIndex(product, 2), d.categoryOf(product)};
    assertThat(d.listOf(d.categoryOf(product))).contains(product);
    DomainOps ops = DomainOps.recorded(readDeleteRead(read, indexes, Bulk.DISCONTINUATION));
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : INVALIDATING) {
      scenarios.add(Scenario.named(name));
    }
    scenarios.add(Scenario.named("ttl-everywhere"));
    List<ScenarioResult> results = run(workload(1, Map.of()), ops, scenarios);

    for (ScenarioResult r : results.subList(0, INVALIDATING.size())) {
      for (Entity e : read) {
        EntityResult m = r.of(e);
        assertThat(m.reads()).isEqualTo(8);
        assertThat(m.staleReads()).as(r.scenario().name() + " " + e).isZero();
        assertThat(m.hits()).as(r.scenario().name() + " " + e).isZero();
      }
    }
    assertThat(results.get(1).of(Entity.INVENTORY).strategy()).isEqualTo(EntityStrategy.TAGS);
    assertThat(results.get(1).of(Entity.PRICE).strategy()).isEqualTo(EntityStrategy.WRITE_THROUGH);
    ScenarioResult ttl = results.get(INVALIDATING.size());
    for (Entity e : read) {
      assertThat(ttl.of(e).staleReads()).as(e.label()).isEqualTo(4);
    }
  }

  @Test
  void aDeletedRowIsNotWrittenAgain() throws Exception {
    List<DomainOp> ops =
        List.of(
            DomainOp.event(1_000_000, Bulk.USER_DELETION, 7),
            DomainOp.write(2_000_000, Entity.PROFILE, 7, 0),
            DomainOp.event(3_000_000, Bulk.USER_DELETION, 7),
            DomainOp.event(4_000_000, Bulk.DISCONTINUATION, 3),
            DomainOp.write(5_000_000, Entity.INVENTORY, SMALL.stockIndex(3, 1), 0),
            DomainOp.read(6_000_000, Entity.PROFILE, 7),
            DomainOp.read(7_000_000, Entity.INVENTORY, SMALL.stockIndex(3, 1)));
    ScenarioResult r =
        run(workload(1, Map.of()), DomainOps.recorded(ops), List.of(Scenario.named("tuned")))
            .get(0);

    assertThat(r.skippedWrites()).isEqualTo(3);
    assertThat(r.staleReads()).isZero();
  }

  @Test
  void theSameSeedGivesTheSameCountsAndAnotherSeedOthers() throws Exception {
    DomainWorkload w = workload(6, Map.of());
    // The deletions come often enough to happen, and to be read after.
    assertThat(w.every(Bulk.USER_DELETION)).isLessThan(Duration.ofSeconds(6));
    assertThat(w.every(Bulk.DISCONTINUATION)).isLessThan(Duration.ofSeconds(6));
    List<Scenario> scenarios = List.of(Scenario.named("ttl-everywhere"), Scenario.named("tuned"));
    List<ScenarioResult> first = run(w, DomainOps.generated(w), scenarios);
    List<ScenarioResult> second = run(w, DomainOps.generated(w), scenarios);
    DomainWorkload other =
        new DomainWorkload(
            w.domain(),
            w.durationNanos(),
            w.readsPerSecond(),
            w.skew(),
            12,
            w.instances(),
            w.sourceLatency(),
            w.writesPerSecond(),
            w.bulkEvery(),
            0,
            false);
    List<ScenarioResult> third = run(other, DomainOps.generated(other), scenarios);

    assertThat(counts(second)).isEqualTo(counts(first));
    assertThat(counts(third)).isNotEqualTo(counts(first));
  }

  /** Every count of a run, without what is measured in real time. */
  private static List<List<Object>> counts(List<ScenarioResult> results) {
    List<List<Object>> counts = new ArrayList<>();
    for (ScenarioResult r : results) {
      counts.add(
          List.of(
              r.messagesSent(), r.messagesApplied(), java.util.Arrays.toString(r.staleBySecond())));
      for (EntityResult e : r.entities()) {
        counts.add(
            List.of(
                e.reads(),
                e.hits(),
                e.sourceReadsPerSecond(),
                e.sourceWritesPerSecond(),
                e.staleReads(),
                e.worstStalenessNanos(),
                e.hotKeyLoads(),
                e.entries()));
      }
    }
    return counts;
  }

  @Test
  void aToleranceExcusesNewerVersionsYoungerThanIt() {
    Truth strict = new Truth(0);
    Truth lenient = new Truth(5_000_000);
    for (Truth t : List.of(strict, lenient)) {
      t.commit("product:price:1", 10_000_000);
    }
    assertThat(strict.staleness("product:price:1", 1, 12_000_000)).isEqualTo(2_000_000);
    assertThat(lenient.staleness("product:price:1", 1, 12_000_000)).isZero();
    assertThat(lenient.staleness("product:price:1", 1, 16_000_000)).isEqualTo(6_000_000);
    assertThat(strict.staleness("product:price:1", 2, 16_000_000)).isZero();
  }

  @Test
  void theRecommendationPicksTheFreshestThenCheapestOnTheFrontier() throws Exception {
    List<ScenarioResult> results = frequentPriceWrites();

    Recommendation price = Recommendation.of(Entity.PRICE, results);
    assertThat(price.pick().strategy()).isEqualTo(EntityStrategy.WRITE_THROUGH);
    assertThat(price.pick().staleReads()).isZero();
    assertThat(price.why()).startsWith("write-through (tuned): 0 stale reads");
    for (Recommendation.Point p : price.frontier()) {
      for (Recommendation.Point q : price.frontier()) {
        boolean dominates =
            q.staleReads() < p.staleReads()
                && q.sourceReadsPerSecond() < p.sourceReadsPerSecond() * 0.98;
        assertThat(dominates).as(q + " dominates " + p).isFalse();
      }
    }
  }
}
