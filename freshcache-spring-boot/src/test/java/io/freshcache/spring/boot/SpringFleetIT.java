package io.freshcache.spring.boot;

import static io.freshcache.spring.boot.ShopFleet.repository;
import static io.freshcache.spring.boot.ShopFleet.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.spring.FreshCacheManager;
import io.freshcache.spring.boot.shop.Product;
import io.freshcache.spring.boot.shop.ProductService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two instances of a Spring Boot application, each its own application context, over the real
 * PostgreSQL (a schema of their own) and the real Redis (a namespace of their own): what one
 * instance's annotations change, the other sees within the bus's staleness bound; {@code sync =
 * true} loads once across both; a transaction's evictions wait for its commit.
 */
class SpringFleetIT {

  private static final Duration BOUND = Duration.ofMillis(200);

  private ShopFleet fleet;
  private ConfigurableApplicationContext a;
  private ConfigurableApplicationContext b;
  private final ExecutorService others = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    fleet = new ShopFleet(BOUND);
    a = fleet.start(Map.of());
    b = fleet.start(Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    others.shutdownNow();
    fleet.close();
  }

  /**
   * Polls the other instance until it no longer serves its old copy of {@code id} — its entry is
   * gone, or it serves no local hits while the bus is unproven — with the bound as the limit; then
   * it reads {@code expected}. What its read then costs (the shared tier, the database) is not the
   * bound's business.
   */
  private void seenWithinTheBound(
      ConfigurableApplicationContext instance, long id, Product expected) {
    CacheGroup group = instance.getBean(CacheGroup.class);
    await()
        .atMost(BOUND)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .until(() -> !held(instance, id) || !group.stats().live());
    assertThat(service(instance).find(id)).isEqualTo(expected);
  }

  private static long published(ConfigurableApplicationContext instance) {
    return instance.getBean(CacheGroup.class).stats().published();
  }

  private static boolean held(ConfigurableApplicationContext instance, long id) {
    return instance
        .getBean(FreshCacheManager.class)
        .getCache("products")
        .getNativeCache()
        .analytics()
        .key(String.valueOf(id))
        .isPresent();
  }

  @Test
  void aCachePutOnOneInstanceIsSeenOnTheOtherWithinTheBound() {
    assertThat(service(a).find(1)).isEqualTo(new Product(1, "p1", 100));
    assertThat(service(b).find(1)).isEqualTo(new Product(1, "p1", 100));
    int reads = fleet.reads();

    Product cheaper = new Product(1, "p1", 90);
    service(a).save(cheaper);

    assertThat(service(a).find(1)).isEqualTo(cheaper); // read-your-writes, no query
    seenWithinTheBound(b, 1, cheaper);
    // b read the put value from the shared tier, not from the database
    assertThat(fleet.reads()).isEqualTo(reads);
  }

  @Test
  void aCacheEvictOnOneInstanceIsSeenOnTheOtherWithinTheBound() {
    service(a).find(2);
    service(b).find(2);

    Product renamed = new Product(2, "kettle", 200);
    service(a).update(renamed);

    assertThat(held(a, 2)).isFalse();
    seenWithinTheBound(b, 2, renamed);
  }

  @Test
  void syncLoadsOnceForManyConcurrentCallersOverBothInstances() throws Exception {
    // A burst while another test on the same Redis disturbs it (reads then go to the database, by
    // design) does not count; an undisturbed burst must query once. Three tries, three keys.
    for (long id = 7; id <= 9; id++) {
      long disturbed = fleet.disturbances();
      int reads = fleet.reads();
      burst(id);
      if (fleet.disturbances() == disturbed) {
        assertThat(fleet.reads() - reads).as("queries over both instances").isEqualTo(1);
        return;
      }
    }
    throw new AssertionError("Redis was disturbed during every try: no undisturbed burst to judge");
  }

  private void burst(long id) throws Exception {
    int perInstance = 16;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Product>> results = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(2 * perInstance);
    try {
      for (ConfigurableApplicationContext instance : List.of(a, b)) {
        ProductService service = service(instance);
        for (int i = 0; i < perInstance; i++) {
          results.add(
              callers.submit(
                  () -> {
                    go.await();
                    return service.find(id);
                  }));
        }
      }
      go.countDown();
      for (Future<Product> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(new Product(id, "p" + id, id * 100));
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void anEvictionInsideARolledBackTransactionLeavesTheCacheAsItWas() {
    Product original = service(a).find(3);
    service(b).find(3);
    int reads = fleet.reads();
    long published = published(a);

    TransactionTemplate tx = a.getBean(TransactionTemplate.class);
    tx.executeWithoutResult(
        status -> {
          service(a).update(new Product(3, "gone", 1));
          status.setRollbackOnly();
        });

    assertThat(published(a)).as("invalidations sent by a").isEqualTo(published);
    assertThat(held(a, 3)).isTrue();
    assertThat(held(b, 3)).isTrue();
    assertThat(service(a).find(3)).isEqualTo(original);
    assertThat(service(b).find(3)).isEqualTo(original);
    assertThat(fleet.reads()).isEqualTo(reads);
    assertThat(repository(a).find(3)).isEqualTo(original); // the row was rolled back too
  }

  @Test
  void anEvictionInsideACommittedTransactionIsNotVisibleBeforeTheCommit() throws Exception {
    evictionWaitsForTheCommit(4, ProductService::update);
  }

  @Test
  void anEvictionBeforeInvocationInsideATransactionWaitsForTheCommitToo() throws Exception {
    evictionWaitsForTheCommit(5, ProductService::updateEvictingFirst);
  }

  private void evictionWaitsForTheCommit(long id, BiConsumer<ProductService, Product> evicting)
      throws Exception {
    Product original = service(a).find(id);
    service(b).find(id);
    Product changed = new Product(id, "changed", 1);
    long published = published(a);

    TransactionTemplate tx = a.getBean(TransactionTemplate.class);
    tx.executeWithoutResult(
        status -> {
          evicting.accept(service(a), changed);
          int reads = fleet.reads();
          // Other readers, here and on b, keep the entry: none reloads the row being changed.
          try {
            assertThat(others.submit(() -> service(a).find(id)).get()).isEqualTo(original);
            assertThat(others.submit(() -> service(b).find(id)).get()).isEqualTo(original);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          assertThat(fleet.reads()).isEqualTo(reads);
          assertThat(published(a)).isEqualTo(published);
          assertThat(held(a, id)).isTrue();
          // The transaction itself sees its own change.
          assertThat(service(a).find(id)).isEqualTo(changed);
        });

    assertThat(held(a, id)).isFalse();
    assertThat(service(a).find(id)).isEqualTo(changed);
    seenWithinTheBound(b, id, changed);
  }
}
