package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The classic race, forced step by step: a reader misses and reads the source; a writer changes the
 * source and invalidates (or puts); then the reader's load completes. The old value it read must
 * not be stored, and no read that starts after the invalidation returned may see it.
 */
class StaleFillAfterInvalidateTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicReference<String> row = new AtomicReference<>("old");
  private final CountDownLatch loadReadTheRow = new CountDownLatch(1);
  private final CountDownLatch finishLoad = new CountDownLatch(1);
  private volatile boolean blockNextLoad = true;

  private final FreshCache<String, String> cache =
      FreshCache.builder("stale-fill", String.class, String.class)
          .source(
              key -> {
                String value = row.get();
                if (blockNextLoad) {
                  blockNextLoad = false;
                  loadReadTheRow.countDown();
                  finishLoad.await(10, TimeUnit.SECONDS);
                }
                return value;
              })
          .build();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private Future<String> readerThatReadsTheOldRowAndStalls() throws InterruptedException {
    Future<String> reader = threads.submit(() -> cache.get("k"));
    assertThat(loadReadTheRow.await(10, TimeUnit.SECONDS)).isTrue();
    return reader;
  }

  @Test
  void invalidateDuringALoadKeepsTheOldValueOut() throws Exception {
    Future<String> reader = readerThatReadsTheOldRowAndStalls();

    row.set("new");
    cache.invalidate("k");
    finishLoad.countDown();

    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // it asked before the write
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k")).isEqualTo("new");
    assertThat(cache.analytics().stats().voidedLoads()).isEqualTo(1);
  }

  @Test
  void aReadStartingAfterTheInvalidationDoesNotJoinTheOldLoad() throws Exception {
    Future<String> reader = readerThatReadsTheOldRowAndStalls();
    row.set("new");
    cache.invalidate("k");

    // Started after invalidate returned, while the old load is still stalled.
    CompletableFuture<String> later = cache.async().get("k");
    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("new");

    finishLoad.countDown();
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(cache.get("k")).isEqualTo("new");
  }

  @Test
  void putDuringALoadWinsOverTheLoad() throws Exception {
    Future<String> reader = readerThatReadsTheOldRowAndStalls();
    row.set("new");
    cache.put("k", "new");
    finishLoad.countDown();
    reader.get(10, TimeUnit.SECONDS);

    assertThat(cache.getIfPresent("k")).isEqualTo("new");
  }

  @Test
  void invalidateAllDuringALoadKeepsTheOldValueOut() throws Exception {
    Future<String> reader = readerThatReadsTheOldRowAndStalls();
    row.set("new");
    cache.invalidateAll();
    finishLoad.countDown();
    reader.get(10, TimeUnit.SECONDS);

    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.get("k")).isEqualTo("new");
  }
}
