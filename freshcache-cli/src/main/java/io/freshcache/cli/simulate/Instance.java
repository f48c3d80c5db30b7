package io.freshcache.cli.simulate;

import io.freshcache.CacheGroup;
import io.freshcache.DependsOn;
import io.freshcache.Expiry;
import io.freshcache.FreshCache;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.event.EventKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated application instance of a multi-instance run: its {@link CacheGroup} on the run's
 * bus with its product cache (and, for the dependency strategy, its cache of category summaries),
 * the database its code writes to, and the event handler every instance subscribes.
 *
 * <p>Each instance builds its own caches, configured by the run's {@link InvalidationStrategy}; all
 * of them load from the same {@link ProductSource} and follow the same {@link VirtualClock}.
 */
final class Instance implements AutoCloseable {

  private final CacheGroup group;
  private final FreshCache<Long, Product> products;
  private final FreshCache<Long, CategorySummary> summaries;
  private final ProductDatabase database;
  private final AtomicLong handlerCalls = new AtomicLong();
  private final AtomicLong summaryLoads = new AtomicLong();

  /**
   * The simulated fleet's shared secret, made for this process: every instance of a run signs its
   * events with it, so updates carry their values and versions between them as a real fleet
   * configured with {@link EventKeys} does.
   */
  private static final EventKeys FLEET_KEYS = EventKeys.signingWith("simulate", secret());

  private static byte[] secret() {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    return secret;
  }

  /**
   * Starts instance {@code index} (from 0) of {@code run}: a group in the namespace of {@code
   * buses}, attached to their bus {@code index} as {@code instance-<index + 1>}, and its caches,
   * which load from the run's source (counting the SELECTs of every instance) and follow its clock.
   *
   * @param writer the writer of the strategies with a {@link io.freshcache.Writes} policy, shared
   *     by every instance of the run
   */
  Instance(Run<InvalidationStrategy> run, ProductWriter writer, Transport.Buses buses, int index) {
    InvalidationStrategy strategy = run.strategy();
    VirtualClock clock = run.clock();
    this.database = run.database();
    this.group =
        CacheGroup.builder(buses.namespace())
            .bus(buses.bus(index))
            .instanceId("instance-" + (index + 1))
            .ticker(clock)
            .eventKeys(FLEET_KEYS)
            .build();
    FreshCacheBuilder<Long, Product> builder =
        group
            .cache("products", Long.class, Product.class)
            .keyPrefix("product:")
            .source(run.source())
            .ticker(clock)
            // No strategy here refreshes in the background: every load runs on the reader.
            .executor(Runnable::run)
            .expiry(Expiry.ttl(InvalidationStrategy.TTL));
    this.products = strategy.configure(builder, writer, database.categories()).build();
    this.summaries = strategy.derivesSummaries() ? summaries(clock) : null;
    group.subscribe(
        InvalidationStrategy.SUBSCRIPTION,
        event -> {
          handlerCalls.incrementAndGet();
          return List.of(); // the event's payload already names what to invalidate
        });
  }

  /** Category summaries, computed from this instance's product cache, derived from its keys. */
  private FreshCache<Long, CategorySummary> summaries(VirtualClock clock) {
    Categories categories = database.categories();
    return group
        .cache("category-summaries", Long.class, CategorySummary.class)
        .keyPrefix("category-summary:")
        .ticker(clock)
        .executor(Runnable::run)
        .expiry(Expiry.ttl(InvalidationStrategy.TTL))
        .source(
            category -> {
              summaryLoads.incrementAndGet();
              List<Long> ids = new ArrayList<>();
              for (long id : categories.productsOf(category)) {
                ids.add(id);
              }
              return CategorySummary.of(category, products.getAll(ids).values());
            })
        .dependsOn((category, summary) -> dependsOn(summary))
        .build();
  }

  private DependsOn dependsOn(CategorySummary summary) {
    Set<String> keys = new HashSet<>();
    for (long id : summary.productIds()) {
      keys.add(products.keyName(id));
    }
    return new DependsOn(keys);
  }

  /** This instance's group. */
  CacheGroup group() {
    return group;
  }

  /** This instance's product cache. */
  FreshCache<Long, Product> products() {
    return products;
  }

  /** This instance's category summaries; {@code null} unless the strategy derives them. */
  FreshCache<Long, CategorySummary> summaries() {
    return summaries;
  }

  /** The database the application's code writes to. */
  ProductDatabase database() {
    return database;
  }

  /** How many events this instance's handler has handled. */
  long handlerCalls() {
    return handlerCalls.get();
  }

  /** How many category summaries this instance has computed. */
  long summaryLoads() {
    return summaryLoads.get();
  }

  /** Detaches from the bus and closes the caches, flushing write-behind. */
  @Override
  public void close() {
    group.close();
  }
}
