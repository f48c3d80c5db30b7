package io.freshcache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.CacheGroup;
import io.freshcache.InProcessBus;
import io.freshcache.Tags;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cache changes inside a Spring-managed transaction: applied after the commit, dropped on rollback,
 * invisible to other threads and instances before, visible to the transaction itself.
 */
class AfterCommitTest {

  /** Spring's transaction machinery with no resource behind it: only its synchronisations. */
  static final class BareTransactions extends AbstractPlatformTransactionManager {
    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {}

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }

  private final TransactionTemplate tx = new TransactionTemplate(new BareTransactions());
  private final InProcessBus bus = new InProcessBus();
  private final CacheGroup groupHere = CacheGroup.builder("txtest").bus(bus).build();
  private final CacheGroup groupThere = CacheGroup.builder("txtest").bus(bus).build();
  private final FreshCacheManager here =
      FreshCacheManager.builder(groupHere)
          .customizer(s -> s.tags(String.class, v -> Tags.of("tag:" + v)))
          .build();
  private final FreshCacheManager there = FreshCacheManager.builder(groupThere).build();
  private final FreshSpringCache cache = here.getCache("users");
  private final FreshSpringCache other = there.getCache("users");

  @AfterEach
  void close() {
    groupHere.close();
    groupThere.close();
  }

  private static Object elsewhere(java.util.function.Supplier<Object> read) {
    return CompletableFuture.supplyAsync(read).join();
  }

  private Object valueOf(FreshSpringCache c, String key) {
    var wrapper = c.get(key);
    return wrapper == null ? null : wrapper.get();
  }

  @Test
  void anEvictionWaitsForTheCommitAndTheTransactionSeesItAtOnce() {
    cache.get("1", () -> "old"); // loads: each instance holds its own copy
    other.get("1", () -> "old-there");

    tx.executeWithoutResult(
        status -> {
          cache.evict("1");
          assertThat(cache.get("1")).as("the transaction's own view").isNull();
          assertThat(elsewhere(() -> valueOf(cache, "1"))).isEqualTo("old");
          assertThat(valueOf(other, "1")).isEqualTo("old-there");
          assertThat(cache.get("1", () -> "loaded-in-tx")).isEqualTo("loaded-in-tx");
        });

    assertThat(cache.get("1")).isNull();
    assertThat(other.get("1")).isNull();
  }

  @Test
  void evictIfPresentAndClearWaitToo() {
    cache.put("1", "a");
    cache.put("2", "b");

    tx.executeWithoutResult(
        status -> {
          assertThat(cache.evictIfPresent("1")).isTrue();
          assertThat(elsewhere(() -> valueOf(cache, "1"))).isEqualTo("a");
          cache.clear();
          assertThat(cache.get("2")).isNull();
          assertThat(elsewhere(() -> valueOf(cache, "2"))).isEqualTo("b");
        });

    assertThat(cache.get("1")).isNull();
    assertThat(cache.get("2")).isNull();
  }

  @Test
  void aPutWaitsForTheCommit() {
    cache.put("1", "old");

    tx.executeWithoutResult(
        status -> {
          cache.put("1", "new");
          assertThat(valueOf(cache, "1")).isEqualTo("new");
          assertThat(elsewhere(() -> valueOf(cache, "1"))).isEqualTo("old");
        });

    assertThat(valueOf(cache, "1")).isEqualTo("new");
  }

  @Test
  void aRollbackDropsEveryChange() {
    cache.put("1", "a");
    cache.put("2", "b");
    long published = groupHere.stats().published();

    tx.executeWithoutResult(
        status -> {
          cache.put("1", "changed");
          cache.evict("2");
          cache.clear();
          FreshCacheInvalidator.of(groupHere).invalidateTag("tag:a");
          status.setRollbackOnly();
        });

    assertThat(valueOf(cache, "1")).isEqualTo("a");
    assertThat(valueOf(cache, "2")).isEqualTo("b");
    assertThat(groupHere.stats().published()).isEqualTo(published);
  }

  @Test
  void theInvalidatorWaitsForTheCommitButRefusesBadInputAtOnce() {
    cache.put("1", "a");
    FreshCacheInvalidator invalidator = FreshCacheInvalidator.of(groupHere);

    tx.executeWithoutResult(
        status -> {
          invalidator.invalidateTag("tag:a");
          assertThat(valueOf(cache, "1")).isEqualTo("a");
          assertThatThrownBy(() -> invalidator.invalidatePattern("*"))
              .isInstanceOf(IllegalArgumentException.class);
        });

    assertThat(cache.get("1")).isNull();
  }
}
