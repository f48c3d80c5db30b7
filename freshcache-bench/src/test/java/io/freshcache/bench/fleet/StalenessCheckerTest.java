package io.freshcache.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet harness's judge, on histories made by hand (times in ms, δ = 200 ms). */
class StalenessCheckerTest {

  private static final long MS = 1_000_000L;
  private static final int WRITER = 0;
  private static final int READER = 1_000;

  private static HistoryLog.Event write(int key, long version, long ackMs, boolean pending) {
    return new HistoryLog.Event(
        HistoryLog.WRITE, WRITER, key, version, ackMs * MS - MS, ackMs * MS, pending);
  }

  private static HistoryLog.Event read(int key, long version, long startMs) {
    return new HistoryLog.Event(
        HistoryLog.READ, READER, key, version, startMs * MS, startMs * MS + 1, false);
  }

  private static HistoryLog.Event delivered(long atMs) {
    return new HistoryLog.Event(HistoryLog.DELIVERED, WRITER, 0, 0, atMs * MS, atMs * MS, false);
  }

  private static Map<String, StalenessChecker.Row> judge(
      List<StalenessChecker.Window> windows, HistoryLog.Event... events) {
    StalenessChecker checker = new StalenessChecker(200 * MS, windows);
    for (HistoryLog.Event e : events) {
      checker.accept(e);
    }
    return checker.judge();
  }

  @Test
  void aReadOfTheOldVersionMoreThanDeltaAfterTheNewerWriteReturnedIsStaleBeyondTheBound() {
    StalenessChecker.Row all =
        judge(List.of(), write(7, 1, 1_000, false), read(7, 0, 1_150), read(7, 0, 1_250))
            .get("all");

    assertThat(all.reads).isEqualTo(2);
    assertThat(all.staleBeyond).isEqualTo(1);
    assertThat(all.worstStalenessNanos).isEqualTo(250 * MS);
    assertThat(all.worstPastBoundNanos).isEqualTo(50 * MS);
    assertThat(all.lost).containsExactly("instance 1 key k7 v0");
  }

  @Test
  void readsOfTheNewVersionOrBeforeTheWriteAreNeverStale() {
    StalenessChecker.Row all =
        judge(List.of(), read(7, 0, 900), write(7, 1, 1_000, false), read(7, 1, 5_000)).get("all");

    assertThat(all.staleBeyond).isZero();
    assertThat(all.worstStalenessNanos).isZero();
  }

  @Test
  void aWriteThatReturnedWithItsInvalidationOwedIsBoundedFromTheDelivery() {
    Map<String, StalenessChecker.Row> rows =
        judge(
            List.of(),
            write(7, 1, 1_000, true),
            delivered(2_000),
            read(7, 0, 2_150),
            read(7, 0, 2_250));

    assertThat(rows.get("all").staleBeyond).isEqualTo(1); // 2,250 > 2,000 + 200
  }

  @Test
  void aWriteWhoseOutboxWasNeverDeliveredIsCountedUnboundedNotStale() {
    StalenessChecker.Row all =
        judge(List.of(), write(7, 1, 1_000, true), read(7, 0, 9_000)).get("all");

    assertThat(all.staleBeyond).isZero();
    assertThat(all.unbounded).isEqualTo(1);
  }

  @Test
  void aWriteMadeWhileTheWriterWasCutOffIsBoundedFromItsReconnection() {
    List<StalenessChecker.Window> cut =
        List.of(new StalenessChecker.Window("writer-cut", 900 * MS, 2_500 * MS, 3_500 * MS));
    Map<String, StalenessChecker.Row> rows =
        judge(
            cut,
            write(7, 1, 1_000, false), // returned with nothing owed: in flight when the cut came
            delivered(2_600),
            read(7, 0, 2_700),
            read(7, 0, 2_900));

    assertThat(rows.get("writer-cut").staleBeyond).isEqualTo(1); // 2,900 > 2,600 + 200
    assertThat(rows.get("writer-cut").reads).isEqualTo(2);
    assertThat(rows.get("steady").reads).isZero();
  }

  @Test
  void staleReadsAreChargedToTheWindowInWhichTheNewerWriteReturned() {
    List<StalenessChecker.Window> kill =
        List.of(new StalenessChecker.Window("subscriber-kill", 900 * MS, 1_000 * MS, 2_000 * MS));
    Map<String, StalenessChecker.Row> rows =
        judge(kill, write(7, 1, 950, false), read(7, 0, 5_000));

    assertThat(rows.get("subscriber-kill").staleBeyond).isEqualTo(1);
    assertThat(rows.get("steady").staleBeyond).isZero();
    assertThat(rows.get("steady").reads).isEqualTo(1);
  }
}
