package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a hit writes into its entry: as little as the per-key analytics allow. */
class EntryAccessTest {

  private static Entry<String> entry(long writtenAt) {
    return new Entry<>(
        "v",
        writtenAt,
        1_000_000_000L,
        0,
        0,
        1,
        new Entry.Meta(writtenAt, InvalidationHistory.NO_VERSION, Entry.NONE, null, Entry.NONE));
  }

  @Test
  void readsAreCountedExactlyUpToTheSamplingThreshold() {
    Entry<String> entry = entry(0);

    for (int i = 0; i < Entry.EXACT_READS; i++) {
      entry.recordAccess(i);
    }

    assertThat(entry.accessCount()).isEqualTo(Entry.EXACT_READS);
  }

  @Test
  void beyondItTheCountIsAnUnbiasedSampleWrittenEverMoreRarely() {
    Entry<String> entry = entry(0);
    long reads = 1_000_000;
    long writes = 0;

    for (long i = 0; i < reads; i++) {
      long before = entry.accessCount();
      entry.recordAccess(0);
      if (entry.accessCount() != before) {
        writes++;
      }
    }

    // The step doubles each time the count does: the standard deviation is about 2% here, so 10%
    // is far outside it; about 11,000 writes are expected (1,024 exact, then ~1,024 per doubling).
    assertThat((double) entry.accessCount()).isBetween(reads * 0.9, reads * 1.1);
    assertThat(writes).isLessThan(reads / 50);
  }

  @Test
  void theLastAccessIsKeptToAMillisecond() {
    Entry<String> entry = entry(0);

    entry.recordAccess(Entry.ACCESS_GRANULARITY - 1);
    assertThat(entry.lastAccess()).isZero(); // not written: under the granularity
    entry.recordAccess(Entry.ACCESS_GRANULARITY);
    assertThat(entry.lastAccess()).isEqualTo(Entry.ACCESS_GRANULARITY);
    entry.recordAccess(5_000_000_000L);
    assertThat(entry.lastAccess()).isEqualTo(5_000_000_000L);
  }
}
