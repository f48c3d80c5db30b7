package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which key invalidations the history stamps, and what it answers for them. */
class InvalidationHistoryTest {

  private static final Duration HORIZON = Duration.ofNanos(1_000);

  private final AtomicLong time = new AtomicLong(5_000);
  private final InvalidationHistory history = new InvalidationHistory(time::get, HORIZON, 100);

  @Test
  void anUnversionedInvalidationOfANewKeyIsNotStampedWhileNoCacheDerivesEntries() {
    long before = history.now();
    history.invalidateKey("user:1", InvalidationHistory.NO_VERSION);
    assertThat(history.now()).as("the clock still moves").isGreaterThan(before);
    assertThat(history.keyCount()).isZero();
    assertThat(history.keysInvalidatedSince(new String[] {"user:1"}, before)).isFalse();
  }

  @Test
  void onceACacheDerivesEntriesEveryKeyInvalidationIsStamped() {
    history.derivesEntries();
    long before = history.now();
    history.invalidateKey("user:1", InvalidationHistory.NO_VERSION);
    assertThat(history.keysInvalidatedSince(new String[] {"user:1"}, before)).isTrue();
    assertThat(history.keysInvalidatedSince(new String[] {"user:1"}, history.now())).isFalse();
  }

  @Test
  void aVersionIsRememberedAndAnUnversionedInvalidationRenewsItsHorizon() {
    history.invalidateKey("user:1", 5);
    assertThat(history.invalidatedVersion("user:1")).isEqualTo(5);
    time.addAndGet(HORIZON.toNanos() - 1);
    history.invalidateKey("user:1", InvalidationHistory.NO_VERSION);
    time.addAndGet(2); // past the first stamp's horizon, within the second's
    assertThat(history.invalidatedVersion("user:1")).isEqualTo(5);
    time.addAndGet(HORIZON.toNanos());
    assertThat(history.invalidatedVersion("user:1")).isEqualTo(InvalidationHistory.NO_VERSION);
  }
}
