package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceTest {

  private static final Workload SMALL = Workload.defaults().withOps(20_000).withKeys(500);

  @Test
  void theSameWorkloadGivesTheSameOperations() {
    Trace first = Trace.of(SMALL);
    Trace second = Trace.of(SMALL);

    assertThat(second.size()).isEqualTo(first.size());
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.key(i)).isEqualTo(first.key(i));
      assertThat(second.isWrite(i)).isEqualTo(first.isWrite(i));
      if (first.isWrite(i)) {
        assertThat(second.newPrice(i)).isEqualTo(first.newPrice(i));
      }
    }
  }

  @Test
  void writesAreAboutTheWriteRatioOfTheOperations() {
    Trace trace = Trace.of(SMALL.withWriteRatio(0.1));

    assertThat(trace.writes() + trace.reads()).isEqualTo(20_000);
    assertThat(trace.writes()).isBetween(1_700, 2_300);
  }

  @Test
  void aWriteRatioOfZeroGivesOnlyReads() {
    Trace trace = Trace.of(SMALL.withWriteRatio(0));

    assertThat(trace.writes()).isZero();
    assertThat(trace.reads()).isEqualTo(20_000);
  }

  @Test
  void everyKeyIsARowOfTheTable() {
    Trace trace = Trace.of(SMALL.withWriteRatio(0.2));
    for (int i = 0; i < trace.size(); i++) {
      assertThat(trace.key(i)).isBetween(1L, 500L);
    }
  }

  @Test
  void readsFavourTheLowKeys() {
    Trace trace = Trace.of(SMALL.withWriteRatio(0));
    int keyOne = 0;
    int keyFifty = 0;
    for (int i = 0; i < trace.size(); i++) {
      keyOne += trace.key(i) == 1 ? 1 : 0;
      keyFifty += trace.key(i) == 50 ? 1 : 0;
    }
    assertThat(keyOne).isGreaterThan(10 * keyFifty);
  }
}
