package io.freshcache.cli.simulate;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.FreshCache;
import io.freshcache.InProcessBus;
import io.freshcache.event.Invalidation;
import io.freshcache.stats.GroupStats;
import io.freshcache.stats.VerifierStats;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;
import org.HdrHistogram.Histogram;

/**
 * Replays the domain workload's operations against one {@link Scenario} on {@link
 * DomainWorkload#instances()} instances, one operation at a time on the caller's thread, and
 * measures every entity.
 *
 * <p>Operation {@code i} runs on instance {@code i % instances}. Before it, the virtual clock moves
 * to the operation's time ({@link Pace}); when paced, the replay first waits for real time to reach
 * it, and the clock then follows real time. A read gets its key through the instance's cache; it is
 * judged by {@link Truth} at its start. A write commits the key's next version in the database
 * (through the cache, for write-through), then notifies the other instances as each affected
 * entity's strategy says: an event naming keys, a tag or a pattern, or a cascade. A bulk event does
 * the same for every row it rewrites, with its own event type. A deletion (user.deleted,
 * product.discontinued) removes its rows from the database, each deletion the row's next version,
 * and tells every instance to drop them and what was made from them; a read of a deleted row then
 * gets {@link DomainValue#gone}, and later writes of it are skipped.
 */
final class DomainReplay implements DomainInstance.Context {

  /** How the instances of a run reach each other. */
  interface Fleet {
    /** The group of instance {@code index} of the run in {@code namespace}, ready to build. */
    CacheGroupBuilder group(String namespace, int index);

    /** Removes what the run left behind; called after every instance closed. */
    default void cleanUp(String namespace) {}

    /** One in-process bus per run, shared by its instances. */
    static Fleet inProcess() {
      return new Fleet() {
        private InProcessBus bus;
        private String namespace;

        @Override
        public CacheGroupBuilder group(String ns, int index) {
          if (!ns.equals(namespace)) {
            bus = new InProcessBus();
            namespace = ns;
          }
          return CacheGroup.builder(ns).bus(bus);
        }

        @Override
        public void cleanUp(String ns) {
          if (bus != null) {
            bus.close();
            bus = null;
            namespace = null;
          }
        }
      };
    }
  }

  private final Scenario scenario;
  private final DomainWorkload workload;
  private final Domain domain;
  private final DomainDatabase database;
  private final VirtualClock clock = new VirtualClock();
  private final Pace pace;
  private final Truth truth;
  private final Map<Entity, EntityMeter> meters = new EnumMap<>(Entity.class);
  private final Histogram latency = new Histogram(3);
  private final List<DomainInstance> instances = new ArrayList<>();
  private long skippedWrites;
  private final BitSet deletedUsers = new BitSet();
  private final BitSet deletedProducts = new BitSet();
  private long[] staleBySecond;

  DomainReplay(Scenario scenario, DomainWorkload workload, DomainDatabase database) {
    this.scenario = scenario;
    this.workload = workload;
    this.domain = workload.domain();
    this.database = database;
    this.truth = new Truth(workload.toleranceNanos());
    this.pace = new Pace(clock, workload.paced());
    for (Entity e : Entity.values()) {
      meters.put(e, new EntityMeter(e));
    }
  }

  @Override
  public Scenario scenario() {
    return scenario;
  }

  @Override
  public DomainWorkload workload() {
    return workload;
  }

  @Override
  public DomainDatabase database() {
    return database;
  }

  @Override
  public VirtualClock clock() {
    return clock;
  }

  @Override
  public EntityMeter meter(Entity entity) {
    return meters.get(entity);
  }

  /** The instances of the run, while it runs (tests look at them). */
  List<DomainInstance> instances() {
    return instances;
  }

  /**
   * Replays {@code ops} on a database at its seeded rows: just opened, or {@linkplain
   * DomainDatabase#reset reset}.
   *
   * @param progress told the share done, from 0 to 1, now and then
   */
  ScenarioResult run(DomainOps ops, Fleet fleet, String namespace, DoubleConsumer progress)
      throws Exception {
    staleBySecond = new long[(int) (workload.durationNanos() / 1_000_000_000L) + 2];
    long lastOp = 0;
    try {
      for (int i = 0; i < workload.instances(); i++) {
        instances.add(new DomainInstance(this, fleet.group(namespace, i), i));
      }
      pace.start(); // once connected: time zero of the pace
      int n = 0;
      for (Iterator<DomainOp> it = ops.iterator(); it.hasNext(); n++) {
        DomainOp op = it.next();
        pace.moveTo(op.nanos());
        lastOp = op.nanos();
        DomainInstance at = instances.get(n % instances.size());
        switch (op.kind()) {
          case READ -> read(at, op.entity(), op.index());
          case WRITE -> write(at, op);
          case EVENT -> bulk(at, op);
        }
        if ((n & 0x3ff) == 0) {
          progress.accept(Math.min(1.0, (double) op.nanos() / workload.durationNanos()));
        }
      }
      progress.accept(1.0);
      // Rates are per second of the schedule: a paced replay that fell behind real time has a clock
      // further on, but ran the same operations.
      return result(Math.max(1_000_000, lastOp), pace.realNanos());
    } finally {
      RuntimeException failure = null;
      for (DomainInstance instance : instances) {
        try {
          instance.close();
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      fleet.cleanUp(namespace);
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void read(DomainInstance at, Entity e, int index) throws Exception {
    EntityMeter meter = meters.get(e);
    String key = domain.key(e, index);
    meter.read(key);
    long loadsBefore = meter.sourceReads;
    long virtualBefore = totalVirtualLoadNanos();
    long start = clock.read();
    long realStart = System.nanoTime();
    DomainValue value = at.read(e, index);
    long real = System.nanoTime() - realStart;
    long nanos = real + (totalVirtualLoadNanos() - virtualBefore);
    meter.latency.recordValue(Math.max(1, nanos));
    latency.recordValue(Math.max(1, nanos));
    boolean hit = meter.sourceReads == loadsBefore;
    if (hit) {
      meter.hits++;
    }
    long staleness = truth.staleness(value, start);
    if (staleness > 0) {
      meter.staleReads++;
      if (hit) {
        meter.staleHits++;
      }
      meter.worstStalenessNanos = Math.max(meter.worstStalenessNanos, staleness);
      int second = (int) Math.min(staleBySecond.length - 1, start / 1_000_000_000L);
      staleBySecond[second]++;
    }
    at.runChecks(); // the verifiers' checks this read sampled, outside its timing
  }

  private long totalVirtualLoadNanos() {
    long sum = 0;
    for (EntityMeter m : meters.values()) {
      sum += m.virtualLoadNanos;
    }
    return sum;
  }

  /** One single-key write; skipped if its row was deleted, or, in a trace, is not newer. */
  private void write(DomainInstance at, DomainOp op) throws Exception {
    Entity e = op.entity();
    if (isDeleted(e, op.index())) {
      skippedWrites++;
      return;
    }
    String key = domain.key(e, op.index());
    long next = truth.current(key) + 1;
    if (op.version() != 0 && op.version() < next) {
      skippedWrites++;
      return;
    }
    commit(at, e, List.of(op.index()));
    Map<String, Object> data = new LinkedHashMap<>();
    switch (e) {
      case PROFILE, PREFERENCES, PERMISSIONS -> {
        data.put("user_id", op.index());
        data.put("updated_fields", List.of(e.label()));
      }
      case PRODUCT, PRICE -> data.put("product_id", op.index());
      case INVENTORY -> {
        data.put("product_id", domain.productOfStock(op.index()));
        data.put("warehouse_id", domain.warehouseOfStock(op.index()));
      }
      default -> data.put("report_id", op.index());
    }
    notify(at, e.eventType(), data, Map.of(e, List.of(op.index())), null, 0);
  }

  /** One bulk event: every row it rewrites (but deleted ones), then its notifications. */
  private void bulk(DomainInstance at, DomainOp op) throws Exception {
    Bulk bulk = op.bulk();
    int target = op.index();
    if (bulk.deletes()) {
      delete(at, bulk, target);
      return;
    }
    List<Integer> rows =
        switch (bulk) {
          case CATEGORY -> domain.productsOf(target);
          case WAREHOUSE -> {
            List<Integer> stocks = new ArrayList<>();
            for (int p = 1; p <= domain.products(); p++) {
              stocks.add(domain.stockIndex(p, target));
            }
            yield stocks;
          }
          case REGION -> domain.usersOf(target);
          default -> {
            List<Integer> all = new ArrayList<>();
            for (int r = 1; r <= domain.reports(); r++) {
              all.add(r);
            }
            yield all;
          }
        };
    rows = new ArrayList<>(rows);
    rows.removeIf(row -> isDeleted(bulk.rows(), row));
    if (rows.isEmpty()) {
      skippedWrites++; // every row it would rewrite was deleted
      return;
    }
    commit(at, bulk.rows(), rows);
    Map<String, Object> data = new LinkedHashMap<>();
    switch (bulk) {
      case CATEGORY -> data.put("category_id", target);
      case WAREHOUSE -> data.put("warehouse_id", target);
      case REGION -> {
        data.put("region_id", target);
        data.put("users", rows.size());
      }
      default -> data.put("reports", rows.size());
    }
    notify(at, bulk.eventType(), data, Map.of(bulk.rows(), rows), bulk, target);
  }

  /**
   * A deletion: user {@code target}'s profile, preferences and permissions, or discontinued product
   * {@code target}'s details, price and stocks, go from the source, each row's deletion its next
   * version; then the event names what every instance must drop, the views made from those rows
   * included. A target already deleted is skipped.
   */
  private void delete(DomainInstance at, Bulk bulk, int target) throws Exception {
    boolean user = bulk == Bulk.USER_DELETION;
    BitSet gone = user ? deletedUsers : deletedProducts;
    if (gone.get(target)) {
      skippedWrites++;
      return;
    }
    Map<Entity, List<Integer>> rows = new EnumMap<>(Entity.class);
    Map<String, Object> data = new LinkedHashMap<>();
    if (user) {
      for (Entity e : List.of(Entity.PROFILE, Entity.PREFERENCES, Entity.PERMISSIONS)) {
        rows.put(e, List.of(target));
      }
      database.deleteUser(target);
      data.put("user_id", target);
      data.put("region_id", domain.regionOf(target));
    } else {
      rows.put(Entity.PRODUCT, List.of(target));
      rows.put(Entity.PRICE, List.of(target));
      List<Integer> stocks = new ArrayList<>();
      for (int w = 1; w <= domain.warehouses(); w++) {
        stocks.add(domain.stockIndex(target, w));
      }
      rows.put(Entity.INVENTORY, stocks);
      database.discontinueProduct(target);
      data.put("product_id", target);
      data.put("category_id", domain.categoryOf(target));
    }
    long now = clock.read();
    for (Map.Entry<Entity, List<Integer>> deleted : rows.entrySet()) {
      for (int row : deleted.getValue()) {
        truth.commit(domain.key(deleted.getKey(), row), now);
      }
      meters.get(deleted.getKey()).sourceWrites += deleted.getValue().size();
    }
    // While the target still counts as there: a product leaves the list that showed it.
    notify(at, bulk.eventType(), data, rows, bulk, target);
    gone.set(target);
  }

  /** Whether row {@code index} of {@code e} was deleted earlier in the run. */
  private boolean isDeleted(Entity e, int index) {
    return switch (e) {
      case PROFILE, PREFERENCES, PERMISSIONS -> deletedUsers.get(index);
      case PRODUCT, PRICE -> deletedProducts.get(index);
      case INVENTORY -> deletedProducts.get(domain.productOfStock(index));
      default -> false;
    };
  }

  /** The products category {@code category}'s list shows now: the first ones not discontinued. */
  private List<Integer> listOf(int category) {
    List<Integer> ids = new ArrayList<>();
    for (int p = category;
        p <= domain.products() && ids.size() < Domain.LIST_PAGE;
        p += domain.categories()) {
      if (!deletedProducts.get(p)) {
        ids.add(p);
      }
    }
    return ids;
  }

  /** Commits the next version of each row: through the writer's cache, or straight to the table. */
  private void commit(DomainInstance at, Entity e, List<Integer> rows) throws Exception {
    long[] versions = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      versions[i] = truth.current(domain.key(e, rows.get(i))) + 1;
    }
    FreshCache<String, DomainValue> cache = at.cache(e);
    if (scenario.of(e) == EntityStrategy.WRITE_THROUGH) {
      for (int i = 0; i < rows.size(); i++) {
        String key = domain.key(e, rows.get(i));
        cache.put(
            domain.suffix(e, rows.get(i)),
            new DomainValue(
                key, versions[i], DomainValue.body(key, versions[i], e.valueBytes()), Map.of()));
      }
    } else if (rows.size() == 1) {
      database.write(e, rows.get(0), versions[0]);
    } else {
      database.writeAll(e, rows, versions);
    }
    long now = clock.read();
    for (int row : rows) {
      truth.commit(domain.key(e, row), now);
    }
    meters.get(e).sourceWrites += rows.size();
  }

  /**
   * Tells the other instances that {@code changed} rows (by entity) changed, with what each
   * affected entity's strategy sends: the keys to delete (event, and tags for a single write), a
   * tag or a pattern (a bulk change under tags, a category's lists under event), or a cascade from
   * the rows (derived views under cascade). Write-through sent its own when it put; a deletion
   * names its keys for it too, since nothing was put.
   */
  private void notify(
      DomainInstance at,
      String type,
      Map<String, Object> data,
      Map<Entity, List<Integer>> changed,
      Bulk bulk,
      int target) {
    Set<String> delete = new LinkedHashSet<>();
    Set<String> tags = new LinkedHashSet<>();
    Set<String> patterns = new LinkedHashSet<>();
    Set<String> cascadeFrom = new LinkedHashSet<>();
    String bulkTag = bulk == null ? null : bulkTag(bulk, target);
    Map<Entity, Set<Integer>> affected = new EnumMap<>(Entity.class);
    for (Map.Entry<Entity, List<Integer>> rows : changed.entrySet()) {
      Entity e = rows.getKey();
      affected.computeIfAbsent(e, k -> new LinkedHashSet<>()).addAll(rows.getValue());
      for (int row : rows.getValue()) {
        for (Map.Entry<Entity, Integer> d : dependents(e, row)) {
          affected.computeIfAbsent(d.getKey(), k -> new LinkedHashSet<>()).add(d.getValue());
        }
      }
    }
    for (Map.Entry<Entity, Set<Integer>> entry : affected.entrySet()) {
      Entity a = entry.getKey();
      EntityStrategy s = scenario.of(a);
      switch (s) {
        case EVENT -> {
          if (a == Entity.CATEGORY_LIST && bulk == Bulk.CATEGORY) {
            patterns.add("category:" + target + ":products:*");
          } else {
            for (int i : entry.getValue()) {
              delete.add(domain.key(a, i));
            }
          }
        }
        case TAGS -> {
          if (bulkTag != null && at.tags(a, entry.getValue().iterator().next()).contains(bulkTag)) {
            tags.add(bulkTag);
            if (bulk == Bulk.WAREHOUSE) {
              tags.add("inventory");
            }
          } else {
            for (int i : entry.getValue()) {
              delete.add(domain.key(a, i));
            }
          }
        }
        case CASCADE -> {
          for (Map.Entry<Entity, List<Integer>> rows : changed.entrySet()) {
            for (int row : rows.getValue()) {
              cascadeFrom.add(domain.key(rows.getKey(), row));
            }
          }
        }
        case WRITE_THROUGH -> {
          if (bulk != null && bulk.deletes()) {
            for (int i : entry.getValue()) {
              delete.add(domain.key(a, i));
            }
          }
        }
        case NONE, TTL, SMART_TTL -> {}
      }
    }
    CacheGroup group = at.group();
    if (!delete.isEmpty()) {
      group.publish(type, Invalidation.keys(delete.toArray(String[]::new)), data);
    }
    if (!tags.isEmpty()) {
      group.publish(type, Invalidation.tags(tags.toArray(String[]::new)), data);
    }
    for (String pattern : patterns) {
      group.publish(type, Invalidation.pattern(pattern), data);
    }
    if (!cascadeFrom.isEmpty()) {
      group.publish(type, Invalidation.cascade(cascadeFrom.toArray(String[]::new)), data);
    }
  }

  /** The tag a bulk change invalidates under the tags strategy, where an entry carries it. */
  private static String bulkTag(Bulk bulk, int target) {
    return switch (bulk) {
      case CATEGORY -> "category:" + target;
      case WAREHOUSE -> "warehouse:" + target;
      case REGION -> "region:" + target;
      case REPORTS -> "reports";
      case USER_DELETION -> "user:" + target;
      case DISCONTINUATION -> "product:" + target;
    };
  }

  /** The computed keys made from row {@code index} of {@code e}. */
  private List<Map.Entry<Entity, Integer>> dependents(Entity e, int index) {
    return switch (e) {
      case PROFILE -> List.of(Map.entry(Entity.FEED, index), Map.entry(Entity.DASHBOARD, index));
      case PREFERENCES ->
          List.of(Map.entry(Entity.RECOMMENDATIONS, index), Map.entry(Entity.DASHBOARD, index));
      case PERMISSIONS -> List.of(Map.entry(Entity.DASHBOARD, index));
      case PRICE -> {
        int category = domain.categoryOf(index);
        yield listOf(category).contains(index)
            ? List.of(Map.entry(Entity.CATEGORY_LIST, category))
            : List.of();
      }
      default -> List.of();
    };
  }

  private ScenarioResult result(long virtualNanos, long realNanos) {
    double seconds = Math.max(1e-9, virtualNanos / 1e9);
    List<EntityResult> entities = new ArrayList<>();
    for (Entity e : Entity.values()) {
      EntityMeter m = meters.get(e);
      long entries = 0;
      for (DomainInstance instance : instances) {
        entries += instance.entries(e);
      }
      long perEntry =
          e.valueBytes() + 2L * (e.prefix().length() + 12) + EntityResult.ENTRY_OVERHEAD_BYTES;
      long checked = 0;
      long caught = 0;
      for (DomainInstance instance : instances) {
        VerifierStats v = instance.verification(e);
        if (v != null) {
          checked += v.checked();
          caught += v.stale();
        }
      }
      entities.add(
          new EntityResult(
              e,
              scenario.of(e),
              m.reads,
              m.hits,
              m.sourceReads / seconds,
              m.sourceWrites / seconds,
              m.reads == 0 ? 0 : m.latency.getValueAtPercentile(50),
              m.reads == 0 ? 0 : m.latency.getValueAtPercentile(99),
              m.reads == 0 ? 0 : m.latency.getValueAtPercentile(99.9),
              m.staleReads,
              m.staleHits,
              checked,
              caught,
              m.worstStalenessNanos,
              m.hotKeyLoads(),
              entries,
              entries * perEntry));
    }
    long sent = 0;
    long applied = 0;
    long lagP99 = 0;
    long lagCount = 0;
    for (DomainInstance instance : instances) {
      GroupStats stats = instance.group().stats();
      sent += stats.published();
      applied += stats.applied();
      if (workload.paced()) { // in process, delivery is part of publish: no lag to speak of
        lagP99 = Math.max(lagP99, stats.lag().p99Micros());
        lagCount += stats.lag().count();
      }
    }
    int seconds1 = (int) Math.min(staleBySecond.length, virtualNanos / 1_000_000_000L + 1);
    long[] series = java.util.Arrays.copyOf(staleBySecond, Math.max(1, seconds1));
    long[] total = {
      latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50),
      latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99),
      latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99.9)
    };
    return new ScenarioResult(
        scenario,
        entities,
        sent,
        applied,
        lagP99,
        lagCount,
        series,
        virtualNanos,
        realNanos,
        skippedWrites,
        total,
        pace.maxBehindNanos());
  }
}
