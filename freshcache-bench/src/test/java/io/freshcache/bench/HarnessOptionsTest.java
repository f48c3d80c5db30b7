package io.freshcache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The propagation harness's command line: the bus option and its brokers, and bad input. */
class HarnessOptionsTest {

  @Test
  void theDefaultsMeasureRedisWithABurst() {
    HarnessOptions options = HarnessOptions.parse();
    assertThat(options.bus()).isEqualTo("redis");
    assertThat(options.instances()).containsExactly(3, 8);
    assertThat(options.burst()).isEqualTo(10_000);
  }

  @Test
  void theBurstRoundSendsItsEventsUnpacedToThreeInstances() {
    HarnessOptions burst = HarnessOptions.parse("--bus", "rabbitmq", "--burst", "500").forBurst();
    assertThat(burst.bus()).isEqualTo("rabbitmq");
    assertThat(burst.instances()).isEqualTo(List.of(HarnessOptions.BURST_INSTANCES));
    assertThat(burst.total()).isEqualTo(500);
    assertThat(burst.rate()).isEqualTo(HarnessOptions.UNPACED);
  }

  @Test
  void kafkaTakesARunningBrokerOrStartsOne() {
    assertThat(HarnessOptions.parse("--bus", "kafka", "--kafka", "127.0.0.1:9092").kafka())
        .isEqualTo("127.0.0.1:9092");
    assertThat(HarnessOptions.parse("--bus", "kafka", "--start-kafka").startKafka()).isTrue();
    assertThatThrownBy(() -> HarnessOptions.parse("--bus", "kafka"))
        .hasMessage(
            "--bus kafka needs a broker: --kafka host:port of a running one, or --start-kafka");
    assertThatThrownBy(
            () -> HarnessOptions.parse("--bus", "kafka", "--kafka", "h:1", "--start-kafka"))
        .hasMessage("--kafka and --start-kafka exclude each other: give one");
  }

  @Test
  void anUnknownBusIsNamed() {
    assertThatThrownBy(() -> HarnessOptions.parse("--bus", "nats"))
        .hasMessage("--bus takes redis, rabbitmq or kafka, got \"nats\"");
  }
}
