package io.freshcache.cli.simulate;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.DependsOn;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.Tags;
import io.freshcache.Verify;
import io.freshcache.Writes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One application instance of the domain workload: a {@link CacheGroup} with one cache per entity
 * that its scenario caches, configured by the entity's {@link EntityStrategy}, loading from the
 * run's database (rows) or computing from this instance's other caches (derived views).
 *
 * <p>Not thread-safe: the replay's thread alone reads through it; loads run on that thread.
 */
final class DomainInstance implements AutoCloseable {

  /** What an instance needs from the run it belongs to. */
  interface Context {
    Scenario scenario();

    DomainWorkload workload();

    DomainDatabase database();

    VirtualClock clock();

    EntityMeter meter(Entity entity);
  }

  private final Context run;
  private final Domain domain;
  private final CacheGroup group;
  private final Map<Entity, FreshCache<String, DomainValue>> caches = new EnumMap<>(Entity.class);

  /** The verifiers' checks, run by {@link #runChecks} between operations, outside their timing. */
  private final List<Runnable> checks = new ArrayList<>();

  /**
   * Starts instance {@code index} (from 0): a group configured by {@code group} (bus, shared tier,
   * namespace), with its caches.
   */
  DomainInstance(Context run, CacheGroupBuilder group, int index) {
    this.run = run;
    this.domain = run.workload().domain();
    this.group = group.instanceId("instance-" + (index + 1)).ticker(run.clock()).build();
    try {
      for (Entity e : Entity.values()) {
        EntityStrategy s = run.scenario().of(e);
        if (s.caches()) {
          caches.put(e, build(e, s, index));
        }
      }
    } catch (RuntimeException e) {
      this.group.close();
      throw e;
    }
  }

  private FreshCache<String, DomainValue> build(Entity e, EntityStrategy s, int index) {
    FreshCacheBuilder<String, DomainValue> b =
        group
            .cache(e.cacheName(), String.class, DomainValue.class)
            .keyPrefix(e.prefix())
            .ticker(run.clock())
            .executor(Runnable::run)
            .source(suffix -> load(e, domain.indexOf(e, suffix)))
            // The in-production estimate beside the ground truth: sampled hits checked against
            // the database itself (not through load: that would cost virtual time and count as
            // the application's source reads), judged stale after the workload's tolerance.
            .verify(
                Verify.<String, DomainValue>sampling(
                        VERIFY_SAMPLE_RATE,
                        Seeds.domain(run.workload().seed(), "verify " + e.label() + " " + index)
                            ::nextDouble)
                    .atMostReadsPerSecond(VERIFY_READS_PER_SECOND)
                    .grace(Duration.ofNanos(run.workload().toleranceNanos()))
                    .against(suffix -> truth(e, domain.indexOf(e, suffix)))
                    .on(checks::add));
    switch (s) {
      case TTL -> b.expiry(Expiry.ttl(EntityStrategy.TTL_LIFETIME));
      case SMART_TTL -> {
        SplittableRandom random =
            Seeds.domain(run.workload().seed(), "jitter " + e.label() + " " + index);
        b.expiry(
            Expiry.<String, DomainValue>ttl(EntityStrategy.smartTtl(e))
                .jitter(0.2, random::nextDouble)
                .bounds(Duration.ofMinutes(5), Duration.ofHours(24)));
      }
      case EVENT -> b.expiry(Expiry.ttl(EntityStrategy.SAFETY_TTL));
      case WRITE_THROUGH ->
          b.expiry(Expiry.ttl(EntityStrategy.SAFETY_TTL))
              .version(DomainValue::version)
              .writes(
                  Writes.through(
                      (String suffix, DomainValue value) -> {
                        run.database().write(e, domain.indexOf(e, suffix), value.version());
                      }));
      case TAGS ->
          b.expiry(Expiry.ttl(EntityStrategy.SAFETY_TTL))
              .tags((suffix, value) -> Tags.of(tags(e, domain.indexOf(e, suffix))));
      case CASCADE ->
          b.expiry(Expiry.ttl(EntityStrategy.SAFETY_TTL))
              .dependsOn((suffix, value) -> new DependsOn(sources(e, value)));
      case NONE -> throw new IllegalArgumentException("no cache for " + e);
    }
    return b.build();
  }

  /** The tags an entry of {@code e} carries under the tags strategy. */
  List<String> tags(Entity e, int index) {
    return switch (e) {
      case PROFILE, PREFERENCES, PERMISSIONS, FEED, RECOMMENDATIONS, DASHBOARD ->
          List.of("user:" + index, "region:" + domain.regionOf(index));
      case PRODUCT, PRICE -> List.of("product:" + index, "category:" + domain.categoryOf(index));
      case CATEGORY_LIST -> List.of("category:" + index);
      case INVENTORY ->
          List.of(
              "warehouse:" + domain.warehouseOfStock(index),
              "inventory",
              "product:" + domain.productOfStock(index));
      case REPORT -> List.of("reports");
    };
  }

  /** What a computed entry was made from: every row it saw, and the views in between. */
  private Set<String> sources(Entity e, DomainValue value) {
    Set<String> keys = new LinkedHashSet<>(value.inputs().keySet());
    if (e == Entity.DASHBOARD) {
      int user = domain.indexOf(e, value.key().substring(e.prefix().length()));
      keys.add(domain.key(Entity.FEED, user));
      keys.add(domain.key(Entity.RECOMMENDATIONS, user));
    }
    return keys;
  }

  /** What the instances' verifiers sample: one hit in 4. */
  static final double VERIFY_SAMPLE_RATE = 0.25;

  /** The verifiers' budget per instance and entity, in database reads per virtual second. */
  static final double VERIFY_READS_PER_SECOND = 1_000;

  /** What key {@code index} of {@code e} is in the database now, computed views included. */
  private DomainValue truth(Entity e, int index) throws Exception {
    DomainDatabase db = run.database();
    return switch (e) {
      case FEED -> derived(e, index, db.load(Entity.PROFILE, index));
      case RECOMMENDATIONS -> derived(e, index, db.load(Entity.PREFERENCES, index));
      case DASHBOARD ->
          derived(
              e,
              index,
              truth(Entity.FEED, index),
              truth(Entity.RECOMMENDATIONS, index),
              db.load(Entity.PERMISSIONS, index));
      default -> db.load(e, index);
    };
  }

  /** Loads key {@code index} of {@code e} from its source: counted, and costing virtual time. */
  DomainValue load(Entity e, int index) throws Exception {
    String key = domain.key(e, index);
    run.meter(e).load(key, run.workload().loadNanos(e));
    return switch (e) {
      case FEED -> derived(e, index, read(Entity.PROFILE, index));
      case RECOMMENDATIONS -> derived(e, index, read(Entity.PREFERENCES, index));
      case DASHBOARD ->
          derived(
              e,
              index,
              read(Entity.FEED, index),
              read(Entity.RECOMMENDATIONS, index),
              read(Entity.PERMISSIONS, index));
      default -> run.database().load(e, index);
    };
  }

  private DomainValue derived(Entity e, int index, DomainValue... from) {
    Map<String, Long> inputs = new LinkedHashMap<>();
    for (DomainValue v : from) {
      if (v.inputs().isEmpty()) {
        inputs.put(v.key(), v.version());
      } else {
        inputs.putAll(v.inputs());
      }
    }
    String key = domain.key(e, index);
    return new DomainValue(key, 0, DomainValue.body(key, 0, e.valueBytes()), inputs);
  }

  /** Reads key {@code index} of {@code e} the way the application does: its cache, if any. */
  DomainValue read(Entity e, int index) throws Exception {
    FreshCache<String, DomainValue> cache = caches.get(e);
    return cache == null ? load(e, index) : cache.get(domain.suffix(e, index));
  }

  /** The cache of {@code e}; {@code null} if the scenario does not cache it. */
  FreshCache<String, DomainValue> cache(Entity e) {
    return caches.get(e);
  }

  /**
   * Runs the verifiers' checks the last operations sampled: after the operation's timing, so a
   * check's database read costs no read its latency, and on the replay's thread, so runs repeat.
   */
  void runChecks() {
    for (int i = 0; i < checks.size(); i++) {
      checks.get(i).run();
    }
    checks.clear();
  }

  /** What the verifiers of {@code e}'s cache found, every check so far; null if not cached. */
  io.freshcache.stats.VerifierStats verification(Entity e) {
    FreshCache<String, DomainValue> cache = caches.get(e);
    return cache == null ? null : cache.analytics().verification().orElseThrow();
  }

  CacheGroup group() {
    return group;
  }

  /** Entries this instance holds for {@code e}. */
  long entries(Entity e) {
    FreshCache<String, DomainValue> cache = caches.get(e);
    return cache == null ? 0 : cache.estimatedSize();
  }

  List<FreshCache<String, DomainValue>> caches() {
    return new ArrayList<>(caches.values());
  }

  @Override
  public void close() {
    group.close();
  }
}
