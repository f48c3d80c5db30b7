package io.freshcache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The propagation harness runs on every bus and produces numbers: a few events per round,
 * freshcache and its raw peer, then a short burst. It asserts nothing about speed (no timed
 * assertion belongs in a test suite); it catches a harness that no longer starts on a bus, misses
 * deliveries, leaves Redis keys behind or prints no figures. Redis and RabbitMQ are the shared
 * servers; for Kafka the harness starts a broker of its own ({@code --start-kafka}).
 */
class PropagationHarnessIT {

  @ParameterizedTest(name = "--bus {0}")
  @ValueSource(strings = {"redis", "rabbitmq", "kafka"})
  void theHarnessRunsFreshcacheAndItsRawPeerOnTheBus(String bus) throws Exception {
    String[] args = {
      "--bus",
      bus,
      "--instances",
      "2",
      "--events",
      "20",
      "--warmup",
      "5",
      "--rate",
      "200",
      "--rounds",
      "1",
      "--burst",
      "50"
    };
    if (bus.equals("kafka")) {
      args =
          java.util.stream.Stream.concat(
                  java.util.Arrays.stream(args), java.util.stream.Stream.of("--start-kafka"))
              .toArray(String[]::new);
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    boolean ok;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      ok = PropagationHarness.run(HarnessOptions.parse(args), out);
    }
    String report = printed.toString(StandardCharsets.UTF_8);
    System.out.print(report);

    assertThat(ok).as("every round received every event").isTrue();
    assertThat(report)
        .contains("Propagation lag on " + bus)
        .containsPattern("\\| pooled \\|\\s+\\| [0-9.,]+ \\|")
        .containsPattern("\\| raw \\| [0-9,]+ \\|")
        .containsPattern("\\| freshcache \\| [0-9,]+ \\|")
        .contains("N=2 round 1 raw", "N=2 round 1 freshcache", "N=3 round burst");
  }
}
