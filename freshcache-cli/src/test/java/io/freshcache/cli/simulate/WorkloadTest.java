package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void theOutageIsTheMiddleShareOfTheOperations() {
    Workload workload = Workload.defaults().withOps(200_000).withOutage(0.1);

    assertThat(workload.hasOutage()).isTrue();
    assertThat(workload.outageFromOp()).isEqualTo(90_000);
    assertThat(workload.outageToOp()).isEqualTo(110_000);
  }

  @Test
  void anOutageOfZeroIsNone() {
    Workload workload = Workload.defaults().withOutage(0);

    assertThat(workload.hasOutage()).isFalse();
    assertThat(workload.outageToOp()).isEqualTo(workload.outageFromOp());
  }

  @Test
  void eachOperationTakesOneOverTheRateOfVirtualTime() {
    assertThat(Workload.defaults().withRate(1_000).nanosPerOp()).isEqualTo(1_000_000);
    assertThat(Workload.defaults().withRate(3).nanosPerOp()).isEqualTo(333_333_333);
  }

  @Test
  void rejectsSettingsOutOfRangeNamingTheOption() {
    Workload d = Workload.defaults();
    assertThatThrownBy(() -> d.withKeys(0)).hasMessageContaining("--keys");
    assertThatThrownBy(() -> d.withOps(-1)).hasMessageContaining("--ops");
    assertThatThrownBy(() -> d.withRate(0)).hasMessageContaining("--rate");
    assertThatThrownBy(() -> d.withWriteRatio(1.0)).hasMessageContaining("--write-ratio");
    assertThatThrownBy(() -> d.withWriteRatio(-0.1)).hasMessageContaining("--write-ratio");
    assertThatThrownBy(() -> d.withOutage(1.0)).hasMessageContaining("--outage");
    assertThatThrownBy(() -> d.withInstances(0)).hasMessageContaining("--instances");
    assertThatThrownBy(() -> d.withInstances(Workload.MAX_INSTANCES + 1))
        .hasMessageContaining("--instances");
    assertThatThrownBy(() -> new Workload(10, 10, 10, Duration.ofMillis(-1), 1.0, 0.0, 0.0, 1L, 3))
        .hasMessageContaining("--source-latency");
    assertThatThrownBy(() -> new Workload(10, 10, 10, Duration.ZERO, -1, 0.0, 0.0, 1L, 3))
        .hasMessageContaining("--skew");
  }
}
