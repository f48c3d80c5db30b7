package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What {@link KeyStamps} answers within and past its horizon, alone and under concurrent stamps.
 */
class KeyStampsTest {

  private static final long HORIZON = 1_000;

  private final AtomicLong time = new AtomicLong(10_000);
  private final KeyStamps stamps = new KeyStamps(time::get, HORIZON);

  @Test
  void aStampIsAnsweredWithinTheHorizonAndNotAfter() {
    stamps.stamp("a", 1, 7);
    assertThat(stamps.get("a")).isEqualTo(new KeyStamps.Stamp(1, 7, 10_000));
    time.addAndGet(HORIZON - 1);
    assertThat(stamps.get("a")).isNotNull();
    time.addAndGet(1);
    assertThat(stamps.get("a")).isNull();
    assertThat(stamps.get("never")).isNull();
  }

  @Test
  void aKeyStampedAgainKeepsItsHighestVersionWhileLiveAndItsNewestTick() {
    stamps.stamp("a", 1, 7);
    time.addAndGet(HORIZON / 2);
    stamps.stamp("a", 3, 5);
    assertThat(stamps.get("a")).isEqualTo(new KeyStamps.Stamp(3, 7, 10_500));
    stamps.stamp("a", 2, 9); // a tick taken before the last stamp landed does not move it back
    assertThat(stamps.get("a").tick()).isEqualTo(3);
    assertThat(stamps.get("a").version()).isEqualTo(9);

    time.addAndGet(HORIZON);
    stamps.stamp("a", 4, 2); // the old stamp was past the horizon: its version is forgotten
    assertThat(stamps.get("a")).isEqualTo(new KeyStamps.Stamp(4, 2, 11_500));
  }

  @Test
  void aStampForgetsABoundedNumberOfOldKeysAndLaterStampsTheRest() {
    int old = 3 * KeyStamps.FORGET_PER_STAMP;
    for (int i = 0; i < old; i++) {
      stamps.stamp("old" + i, i, i);
    }
    time.addAndGet(HORIZON);
    stamps.stamp("new0", old, 1);
    assertThat(stamps.size()).isEqualTo(old - KeyStamps.FORGET_PER_STAMP + 1);
    stamps.stamp("new1", old + 1, 1);
    stamps.stamp("new2", old + 2, 1);
    assertThat(stamps.size()).isEqualTo(3);
    assertThat(stamps.get("old0")).isNull();
  }

  @Test
  void stampsPastTheHorizonAreForgottenAndOnesStampedAgainAreKept() {
    int old = KeyStamps.FORGET_PER_STAMP - 1; // all forgotten by the next stamp
    for (int i = 0; i < old; i++) {
      stamps.stamp("old" + i, i, i);
    }
    stamps.stamp("again", 100, 1);
    time.addAndGet(HORIZON / 2);
    stamps.stamp("again", 101, 1);
    time.addAndGet(HORIZON / 2);
    stamps.stamp("new", 102, 1); // the first stamps are past the horizon now
    assertThat(stamps.size()).as("the old keys forgotten, 'again' kept").isEqualTo(2);
    assertThat(stamps.get("again").tick()).isEqualTo(101);

    time.addAndGet(HORIZON / 2);
    stamps.stamp("newer", 103, 1);
    assertThat(stamps.size())
        .as("'again' forgotten at its own newest stamp's horizon")
        .isEqualTo(2);
    assertThat(stamps.get("again")).isNull();
    assertThat(stamps.get("new")).isNotNull();
  }

  /**
   * Threads stamp overlapping keys at once while others' stamps forget old ones; time moves half a
   * horizon between phases. After each phase every key stamped in this phase or the one before is
   * answered with the highest version stamped in its latest phase (versions only grow with the
   * phase), every key last stamped earlier is not, and the map holds only recent phases' keys.
   */
  @Test
  void concurrentStampsLoseNoLiveStampAndForgetTheRest() throws Exception {
    int threads = 4;
    int keys = 2_000;
    int phases = 12;
    Map<String, Integer> lastPhase = new HashMap<>();
    Map<String, Long> highest = new HashMap<>();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier end = new CyclicBarrier(threads + 1);
    List<Map<String, Long>> stampedByThread = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      stampedByThread.add(new HashMap<>());
    }
    AtomicLong ticks = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int phase = 0; phase < phases; phase++) {
                    start.await();
                    Map<String, Long> mine = stampedByThread.get(id);
                    mine.clear();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < keys; i++) {
                      // a window of 1,000 keys that moves on by 500 each phase
                      String key = "k" + (phase * 500 + random.nextInt(1_000));
                      long version = phase * 1_000L + random.nextInt(1_000);
                      stamps.stamp(key, ticks.incrementAndGet(), version);
                      mine.merge(key, version, Math::max);
                    }
                    end.await();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      worker.start();
      workers.add(worker);
    }
    for (int phase = 0; phase < phases; phase++) {
      start.await();
      end.await();
      for (Map<String, Long> mine : stampedByThread) {
        for (Map.Entry<String, Long> stamped : mine.entrySet()) {
          Integer before = lastPhase.put(stamped.getKey(), phase);
          if (before == null || before != phase) {
            highest.put(stamped.getKey(), stamped.getValue());
          } else {
            highest.merge(stamped.getKey(), stamped.getValue(), Math::max);
          }
        }
      }
      for (Map.Entry<String, Integer> key : lastPhase.entrySet()) {
        KeyStamps.Stamp stamp = stamps.get(key.getKey());
        if (phase - key.getValue() <= 1) {
          assertThat(stamp).as("%s, stamped in phase %d", key.getKey(), key.getValue()).isNotNull();
          assertThat(stamp.version()).isEqualTo(highest.get(key.getKey()));
        } else {
          assertThat(stamp)
              .as("%s, last stamped in phase %d", key.getKey(), key.getValue())
              .isNull();
        }
      }
      // A key stamped again is queued again behind younger ones, so it may stay up to a horizon
      // (two phases) past its own: a memory bound, never an answer.
      int now = phase;
      long recent = lastPhase.values().stream().filter(p -> now - p <= 4).count();
      assertThat((long) stamps.size()).isLessThanOrEqualTo(recent);
      time.addAndGet(HORIZON / 2);
    }
    assertThat(lastPhase.size()).as("keys stamped in all").isGreaterThan(5_000);
    for (Thread worker : workers) {
      worker.join();
    }
  }
}
