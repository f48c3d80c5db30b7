package io.freshcache.spring.boot;

import static io.freshcache.spring.boot.ShopFleet.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.spring.boot.shop.Product;
import io.freshcache.spring.boot.shop.ProductService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Readers on two instances race a writer whose transactions update a row and evict it (both
 * {@code @CacheEvict} forms). Every read is checked against the history of commits: none may return
 * a version older than one committed more than the bound before the read began, and once the writer
 * stops both instances serve its last version. An eviction applied before the commit would let a
 * reader cache the old row for good, and fail this.
 */
class TransactionalEvictionStressIT {

  private static final Duration BOUND = Duration.ofMillis(200);
  private static final long ID = 11;
  private static final int WRITES = 150;

  private record Commit(long version, long at) {}

  private record Read(long version, long start) {}

  private ShopFleet fleet;
  private ConfigurableApplicationContext a;
  private ConfigurableApplicationContext b;

  @BeforeEach
  void start() throws Exception {
    fleet = new ShopFleet(BOUND);
    // Strict: a commit returns once Redis holds its eviction, so the bound runs from the return.
    a = fleet.start(Map.of("freshcache.strict", "2s"));
    b = fleet.start(Map.of("freshcache.strict", "2s"));
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  private static long version(Product p) {
    return p.name().startsWith("v") ? Long.parseLong(p.name().substring(1)) : 0;
  }

  @Test
  void noReadIsStaleBeyondTheBoundAndNoOldRowStaysCached() throws Exception {
    List<Commit> commits = new ArrayList<>();
    commits.add(new Commit(0, System.nanoTime()));
    ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> readers = new ArrayList<>();
    for (ConfigurableApplicationContext instance : List.of(a, a, b, b)) {
      ProductService service = service(instance);
      Thread reader =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long start = System.nanoTime();
                  reads.add(new Read(version(service.find(ID)), start));
                }
              });
      reader.start();
      readers.add(reader);
    }

    TransactionTemplate tx = a.getBean(TransactionTemplate.class);
    ProductService writer = service(a);
    for (int v = 1; v <= WRITES; v++) {
      Product next = new Product(ID, "v" + v, v);
      boolean first = v % 2 == 0;
      tx.executeWithoutResult(
          status -> {
            if (first) {
              writer.updateEvictingFirst(next);
            } else {
              writer.update(next);
            }
          });
      commits.add(new Commit(v, System.nanoTime()));
    }
    long end = System.nanoTime();
    while (System.nanoTime() - end < 3 * BOUND.toNanos()) {
      Thread.onSpinWait(); // the readers read on past the last bound; nothing is timed here
    }
    stop.set(true);
    for (Thread reader : readers) {
      reader.join();
    }

    long bound = BOUND.toNanos();
    int stale = 0;
    long checked = 0;
    for (Read read : reads) {
      checked++;
      long required = 0;
      for (Commit c : commits) {
        if (c.at() + bound < read.start()) {
          required = c.version();
        }
      }
      if (read.version() < required) {
        stale++;
      }
    }
    System.out.printf(
        "transactional evictions: %d writes, %d reads checked, %d stale beyond %d ms%n",
        WRITES, checked, stale, BOUND.toMillis());
    assertThat(checked).isGreaterThan(WRITES);
    assertThat(stale)
        .as("reads older than a version committed more than the bound before")
        .isZero();
    assertThat(version(service(a).find(ID))).isEqualTo(WRITES);
    assertThat(version(service(b).find(ID))).isEqualTo(WRITES);
  }
}
