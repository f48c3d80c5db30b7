package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sequencer's decisions, without Redis: order, once, gaps, and proofs that wait for them. */
class SequencerTest {

  private final List<String> out = new ArrayList<>();
  private final List<Long> proofs = new ArrayList<>();
  private int gaps;

  private final Sequencer sequencer =
      new Sequencer(
          new Sequencer.Output() {
            @Override
            public void deliver(String message) {
              out.add(message);
            }

            @Override
            public void caughtUp(long sentAt) {
              proofs.add(sentAt);
            }

            @Override
            public void lost(String reason) {
              out.add("LOSS");
            }
          },
          () -> gaps++,
          10,
          "100-0");

  private static LogPosition event(long seq) {
    return new LogPosition("log", seq, seq + "00-0", "m" + seq);
  }

  @Test
  void eventsInSequenceAreHandedOverAtOnce() {
    sequencer.fromChannel(event(11));
    sequencer.fromChannel(event(12));

    assertThat(out).containsExactly("m11", "m12");
    assertThat(gaps).isZero();
    assertThat(sequencer.position()).isEqualTo(new Sequencer.Position(12, "1200-0"));
  }

  @Test
  void anEventAfterAGapWaitsForTheFillAndEachIsHandedOverOnce() {
    sequencer.fromChannel(event(12));
    assertThat(out).isEmpty();
    assertThat(gaps).isEqualTo(1);

    assertThat(sequencer.fromLog(11, "1100-0", "m11")).isTrue();
    assertThat(sequencer.fromLog(12, "1200-0", "m12")).isTrue();
    sequencer.fromChannel(event(12));

    assertThat(out).containsExactly("m11", "m12");
  }

  @Test
  void aNumberTheLogNoLongerHoldsIsRefusedAndTheRestartReportsTheLossFirst() {
    sequencer.fromChannel(event(14));

    assertThat(sequencer.fromLog(12, "1200-0", "m12")).isFalse();
    sequencer.restart("trimmed", 13, "1300-0");

    assertThat(out).containsExactly("LOSS", "m14");
  }

  @Test
  void aHeartbeatProvesOnlyOnceItsSequenceIsReached() {
    sequencer.heartbeat(1_000, 10);
    assertThat(proofs).containsExactly(1_000L);

    sequencer.heartbeat(2_000, 11);
    assertThat(proofs).containsExactly(1_000L);
    assertThat(gaps).isEqualTo(1);

    sequencer.fromLog(11, "1100-0", "m11");
    assertThat(proofs).containsExactly(1_000L, 2_000L);
  }

  @Test
  void aSecondCopyUnderAnotherEntryIsNotTakenForTheFirst() {
    sequencer.fromChannel(event(11));
    sequencer.fromChannel(new LogPosition("log", 11, "999-0", "other"));

    assertThat(out).containsExactly("m11", "other");
    assertThat(gaps).as("the log is read to see why").isEqualTo(1);
  }

  @Test
  void whatArrivedBeforeAFillClaimingMoreThanTheLogHeldIsNotWaitedFor() {
    sequencer.fromChannel(event(50));
    sequencer.heartbeat(3_000, 60);

    sequencer.fillStarts();
    sequencer.fillEnds(10); // the log's sequence, read by that fill, was 10

    assertThat(out).containsExactly("m50");
    assertThat(sequencer.behind()).isFalse();
    assertThat(proofs).isEmpty();
  }

  @Test
  void eventsHeldBehindAGapForTooLongAreHandedOverAfterALoss() {
    for (long n = 12; n <= 12 + Sequencer.MAX_AHEAD; n++) {
      sequencer.fromChannel(event(n));
    }

    assertThat(out).hasSize(1 + Sequencer.MAX_AHEAD + 1);
    assertThat(out.get(0)).isEqualTo("LOSS");
    assertThat(out.get(1)).isEqualTo("m12");
    assertThat(sequencer.behind()).isFalse();
    sequencer.fromChannel(event(13 + Sequencer.MAX_AHEAD));
    assertThat(out).last().isEqualTo("m" + (13 + Sequencer.MAX_AHEAD));
  }
}
