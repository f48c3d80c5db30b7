package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteBehindTest {

  /** A source that records every batch it takes, and can refuse the first few. */
  static final class RecordingWriter implements Writer<String, String> {
    final Map<String, String> rows = new ConcurrentHashMap<>();
    final List<Map<String, String>> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger refusals = new AtomicInteger();

    @Override
    public void write(String key, String value) {
      throw new AssertionError("write-behind must write in batches");
    }

    @Override
    public void writeAll(Map<String, String> batch) {
      if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("source unavailable");
      }
      batches.add(new LinkedHashMap<>(batch));
      rows.putAll(batch);
    }
  }

  static final class RecordingListener implements WriteBehindListener<String> {
    final List<Set<String>> flushed = new CopyOnWriteArrayList<>();
    final List<Integer> failedAttempts = new CopyOnWriteArrayList<>();

    @Override
    public void flushed(Set<String> keys) {
      flushed.add(keys);
    }

    @Override
    public void failed(Set<String> keys, int attempt, Throwable cause) {
      failedAttempts.add(attempt);
    }
  }

  private final RecordingWriter writer = new RecordingWriter();
  private final RecordingListener listener = new RecordingListener();

  private FreshCache<String, String> cache(Writes<String, String> writes) {
    return FreshCache.builder("behind", String.class, String.class)
        .source(key -> "from-source:" + key)
        .writes(writes)
        .build();
  }

  @Test
  void closeFlushesEverythingInOrderCoalescedPerKeyAndBatched() {
    FreshCache<String, String> cache =
        cache(
            Writes.behind(writer).batchSize(2).flushEvery(Duration.ofHours(1)).listener(listener));
    // Held back by the long interval; a batch of 2 fills and goes at once, so pause the writer.
    writer.refusals.set(Integer.MAX_VALUE);
    cache.put("a", "a1");
    cache.put("b", "b1");
    cache.put("a", "a2"); // replaces a1 and moves behind b
    cache.put("c", "c1");
    writer.refusals.set(0);
    cache.close();

    List<String> order = new ArrayList<>();
    writer.batches.forEach(batch -> order.addAll(batch.keySet()));
    assertThat(order).containsExactly("b", "a", "c");
    assertThat(writer.rows)
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "a2", "b", "b1", "c", "c1"));
    assertThat(writer.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
    assertThat(cache.analytics().stats().writesFlushed()).isEqualTo(3);
  }

  @Test
  void theWriterSeesTheValueAtOnceAndAMissNeverLoadsTheOldRowBeforeTheFlush() {
    writer.refusals.set(Integer.MAX_VALUE);
    FreshCache<String, String> cache =
        cache(Writes.behind(writer).flushEvery(Duration.ofHours(1)).closeTimeout(Duration.ZERO));
    cache.put("k", "new");
    cache.invalidate("k"); // even with the entry gone, the pending write answers
    assertThat(cache.get("k")).isEqualTo("new");
    assertThat(writer.rows).isEmpty();
    assertThatThrownBy(cache::close).isInstanceOf(WriteBehindException.class);
  }

  @Test
  void aFailingSourceIsRetriedWithBackoffAndNothingIsLost() {
    writer.refusals.set(3);
    FreshCache<String, String> cache =
        cache(
            Writes.behind(writer)
                .flushEvery(Duration.ofMillis(1))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
                .listener(listener));
    cache.put("k", "v");

    await().atMost(Duration.ofSeconds(10)).until(() -> !listener.flushed.isEmpty());
    assertThat(listener.failedAttempts).containsExactly(1, 2, 3);
    assertThat(writer.rows).containsEntry("k", "v");
    assertThat(cache.analytics().stats().writeFailures()).isEqualTo(3);
    cache.close();
  }

  @Test
  void closeWithASourceThatNeverRecoversFailsLoudlyHoldingTheWrites() {
    writer.refusals.set(Integer.MAX_VALUE);
    FreshCache<String, String> cache =
        cache(
            Writes.behind(writer)
                .flushEvery(Duration.ofMillis(1))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .closeTimeout(Duration.ofMillis(50)));
    cache.put("x", "1");
    cache.put("y", "2");

    assertThatThrownBy(cache::close)
        .isInstanceOf(WriteBehindException.class)
        .hasMessageContaining("2 acknowledged writes could not be flushed")
        .satisfies(
            e ->
                assertThat(((WriteBehindException) e).unflushed())
                    .isEqualTo(Map.of("x", "1", "y", "2")));
  }

  @Test
  void settingsForWriteBehindOnlyAreRefusedOnOtherPolicies() {
    assertThatThrownBy(() -> Writes.through(writer).batchSize(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("batchSize applies to write-behind only, not to write-through");
    assertThatThrownBy(() -> Writes.behind(writer).batchSize(0))
        .hasMessage("batchSize must be positive, was 0");
  }
}
