package io.freshcache.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.InProcessBus;
import io.freshcache.event.EventCodec;
import io.freshcache.test.InvalidationContractKit;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code freshcache watch} calls malformed exactly what an instance drops as malformed, and shows
 * as an event what an instance applies: both decode with {@link EventCodec}.
 */
class WatchDecodesAsInstancesTest {

  private static final String GOOD_PAYLOAD = "{\"type\": \"delete\", \"keys\": [\"user:1\"]}";

  /**
   * The kit's malformed events; those an earlier, separate decoder of watch's printed as valid
   * (event-type syntax, a version beyond a long, values that are not an object, a non-boolean
   * allow_all); and valid events of every kind.
   */
  static Stream<String> messages() {
    List<String> all = new ArrayList<>(InvalidationContractKit.MALFORMED_EVENTS);
    all.add("{\"type\": \"no spaces allowed\", \"payload\": " + GOOD_PAYLOAD + "}");
    all.add("{\"type\": \"a..b\", \"payload\": " + GOOD_PAYLOAD + "}");
    all.add(
        "{\"type\": \"a.b\", \"payload\": {\"type\": \"delete\", \"keys\": [\"k\"], \"version\":"
            + " 100000000000000000000}}");
    all.add(
        "{\"type\": \"a.b\", \"payload\": {\"type\": \"update\", \"keys\": [\"k\"], \"values\":"
            + " [1, 2]}}");
    all.add(
        "{\"type\": \"a.b\", \"payload\": {\"type\": \"pattern\", \"pattern\": \"*\", \"allow_all\":"
            + " \"yes\"}}");
    all.add(
        "{\"type\": \"a.b\", \"payload\": {\"type\": \"delete\", \"keys\": [\"k\"], \"cascade\":"
            + " \"yes\"}}");
    all.add("{\"type\": \"a.b\", \"timestamp\": \"now\", \"payload\": " + GOOD_PAYLOAD + "}");
    all.add("\"" + "x".repeat(EventCodec.MAX_MESSAGE_CHARS) + "\"");
    // Valid, of every kind: both must accept these.
    all.add("{\"type\": \"user.updated\", \"timestamp\": 1.5, \"payload\": " + GOOD_PAYLOAD + "}");
    all.add("{\"type\": \"a.b\", \"payload\": {\"type\": \"tag\", \"tags\": [\"org:42\"]}}");
    all.add("{\"type\": \"a.b\", \"payload\": {\"type\": \"pattern\", \"pattern\": \"user:*\"}}");
    all.add(
        "{\"type\": \"a.b\", \"payload\": {\"type\": \"pattern\", \"pattern\": \"*\", \"allow_all\":"
            + " true}}");
    all.add(
        "{\"type\": \"a.b\", \"payload\": {\"type\": \"update\", \"keys\": [\"k\"], \"values\":"
            + " {\"k\": 9}, \"version\": 3}}");
    all.add("{\"type\": \"a.b\", \"payload\": {\"type\": \"all\"}, \"namespace\": \"shop\"}");
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("messages")
  void watchAndAnInstanceAgreeOnWhatIsMalformed(String message) {
    InProcessBus bus = new InProcessBus();
    try (CacheGroup instance = CacheGroup.builder("shop").bus(bus).build()) {
      bus.publish("a.b", message);
      boolean instanceDropped = instance.stats().malformed() == 1;
      assertThat(instanceDropped || instance.stats().applied() == 1)
          .as("the instance either applies or drops it")
          .isTrue();

      String line =
          WatchCommand.line(
              new EventLine(false, ZoneOffset.UTC),
              null,
              "cache:invalidation:a.b",
              message,
              Instant.EPOCH);

      assertThat(line.contains("malformed message"))
          .as("watch shows as malformed: %s", line.length() > 200 ? line.substring(0, 200) : line)
          .isEqualTo(instanceDropped);
    } finally {
      bus.close();
    }
  }
}
