package io.freshcache.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.stats.InstanceStatus;
import io.freshcache.stats.PropagationLag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code freshcache stats} judges instances from their statuses, on Redis's clock. */
class FleetTest {

  private static final long T0 = 1_700_000_000_000L;

  private static InstanceStatus status(
      String id, long startedAt, boolean closing, boolean live, long hits, long misses) {
    return new InstanceStatus(
        id,
        "shop",
        "host",
        1,
        Instant.ofEpochMilli(startedAt),
        Instant.ofEpochMilli(T0),
        Duration.ofSeconds(5),
        closing,
        live,
        0,
        0,
        0,
        0,
        PropagationLag.NONE,
        1,
        hits,
        misses,
        0,
        0);
  }

  private static Fleet.Heard heard(long at, InstanceStatus s) {
    return new Fleet.Heard(at, s);
  }

  @Test
  void anInstanceSilentForThreeIntervalsIsGoneAndNotBefore() {
    InstanceStatus s = status("a", T0, false, true, 0, 0);

    assertThat(Fleet.of(List.of(heard(T0, s)), T0 + 15_000).instances().get(0).state())
        .isEqualTo(Fleet.State.UP);
    assertThat(Fleet.of(List.of(heard(T0, s)), T0 + 15_001).instances().get(0).state())
        .isEqualTo(Fleet.State.GONE);
  }

  @Test
  void theInstancesOwnClockDoesNotEnter() {
    // Its host's clock is an hour behind (sentAt): Redis took the status in just now, so it is up.
    InstanceStatus behind =
        new InstanceStatus(
            "a",
            "shop",
            "host",
            1,
            Instant.ofEpochMilli(T0 - 7_200_000),
            Instant.ofEpochMilli(T0 - 3_600_000),
            Duration.ofSeconds(5),
            false,
            true,
            0,
            0,
            0,
            0,
            PropagationLag.NONE,
            1,
            0,
            0,
            0,
            0);

    Fleet.Member a = Fleet.of(List.of(heard(T0, behind)), T0 + 100).instances().get(0);

    assertThat(a.state()).isEqualTo(Fleet.State.UP);
    assertThat(a.silentFor()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theNewestStatusDecidesWhateverTheOrderHeard() {
    List<Fleet.Heard> heard =
        List.of(
            heard(T0 + 10_000, status("a", T0, false, false, 30, 10)),
            heard(T0, status("a", T0, false, true, 10, 10)),
            heard(T0 + 5_000, status("a", T0, false, true, 20, 10)));

    Fleet.Member a = Fleet.of(heard, T0 + 11_000).instances().get(0);

    assertThat(a.state()).isEqualTo(Fleet.State.SUSPENDED);
    assertThat(a.silentFor()).isEqualTo(Duration.ofSeconds(1));
    // over the window: 20 more hits, no more misses
    assertThat(a.hitRatio()).isEqualTo(1.0);
    assertThat(a.requests()).isEqualTo(20);
  }

  @Test
  void oneStatusInTheWindowGivesTheRatioSinceTheStart() {
    Fleet.Member a =
        Fleet.of(List.of(heard(T0, status("a", T0, false, true, 3, 1))), T0).instances().get(0);

    assertThat(a.hitRatio()).isEqualTo(0.75);
    assertThat(a.requests()).isEqualTo(4);
  }

  @Test
  void aRestartUnderTheSameIdDoesNotSubtractTheOldCounters() {
    List<Fleet.Heard> heard =
        List.of(
            heard(T0, status("a", T0 - 60_000, false, true, 1_000, 0)),
            heard(T0 + 5_000, status("a", T0 + 4_000, false, true, 3, 1)));

    Fleet.Member a = Fleet.of(heard, T0 + 5_000).instances().get(0);

    assertThat(a.hitRatio()).isEqualTo(0.75); // the new run's own, not 3 - 1,000
  }

  @Test
  void aClosedInstanceStaysClosedAndTheStatesSortUpFirst() {
    List<Fleet.Heard> heard =
        List.of(
            heard(T0, status("z-closed", T0, true, true, 0, 0)),
            heard(T0, status("y-gone", T0, false, true, 0, 0)),
            heard(T0 + 60_000, status("x-up", T0, false, true, 0, 0)),
            heard(T0 + 60_000, status("w-suspended", T0, false, false, 0, 0)));

    Fleet fleet = Fleet.of(heard, T0 + 60_000);

    assertThat(fleet.instances())
        .extracting(m -> m.newest().instanceId() + ":" + m.state())
        .containsExactly("x-up:UP", "w-suspended:SUSPENDED", "y-gone:GONE", "z-closed:CLOSED");
    assertThat(fleet.count(Fleet.State.GONE)).isEqualTo(1);
  }

  @Test
  void streamIdsStepByOneEitherWay() {
    assertThat(StatusLog.after("5-0")).isEqualTo("5-1");
    assertThat(StatusLog.after("5-18446744073709551615")).isEqualTo("6-0");
    assertThat(StatusLog.before("5-1")).isEqualTo("5-0");
    assertThat(StatusLog.before("5-0")).isEqualTo("4-18446744073709551615");
    assertThat(StatusLog.before("0-0")).isNull();
    assertThat(StatusLog.compare("5-10", "5-9")).isPositive();
    assertThat(StatusLog.compare("4-99", "5-0")).isNegative();
  }

  @Test
  void agesReadAsPeopleWriteThem() {
    assertThat(FleetTable.age(850)).isEqualTo("850ms");
    assertThat(FleetTable.age(4_210)).isEqualTo("4.2s");
    assertThat(FleetTable.age(185_000)).isEqualTo("3m05s");
    assertThat(FleetTable.age(7_800_000)).isEqualTo("2h10m");
    assertThat(FleetTable.age(273_600_000)).isEqualTo("3d4h");
  }
}
