package io.freshcache.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.stats.InstanceStatus;
import io.freshcache.stats.PropagationLag;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusMessagesTest {

  private final InstanceStatus status =
      new InstanceStatus(
          "web-1",
          "shop",
          "host-a",
          4242,
          Instant.ofEpochMilli(1_732_665_000_000L),
          Instant.ofEpochMilli(1_732_665_600_123L),
          Duration.ofSeconds(5),
          false,
          true,
          2,
          3,
          4,
          5,
          new PropagationLag(812, 410, 2_100, 9_800),
          2,
          91_822,
          3_120,
          400,
          1);

  @Test
  void aStatusSurvivesTheWireWhole() {
    String message = StatusMessages.encode(status);

    assertThat(StatusMessages.isStatus(message)).isTrue();
    assertThat(StatusMessages.decode(message)).isEqualTo(status);
  }

  @Test
  void aPlainSubscriberSeesAnEventWithAPayloadTypeItDoesNotKnow() throws Exception {
    String message = StatusMessages.encode(status);

    assertThat(message).startsWith("{\"type\":\"freshcache.status\",\"timestamp\":1732665600.123,");
    assertThat(message).contains("\"payload\":{\"type\":\"status\",");
    // Every instance's decoder refuses it (it is skipped before decoding: see BusProtocol).
    assertThatThrownBy(() -> EventCodec.decode(message))
        .isInstanceOf(EventCodec.MalformedEventException.class);
  }

  @Test
  void anInvalidationIsNotTakenForAStatus() {
    String event =
        EventCodec.encode(
            new InvalidationEvent(
                "freshcache.status.not", 1.0, Invalidation.keys("k"), java.util.Map.of(), null),
            "shop");
    assertThat(StatusMessages.isStatus(event)).isFalse();
  }

  @Test
  void whatIsNotAStatusIsRefusedSayingWhy() {
    assertThatThrownBy(() -> StatusMessages.decode("not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON");
    assertThatThrownBy(
            () ->
                StatusMessages.decode(
                    "{\"type\":\"user.updated\",\"payload\":{\"type\":\"delete\"}}"))
        .hasMessage("not a freshcache.status event");
    String noHits = StatusMessages.encode(status).replace("\"hits\":91822,", "");
    assertThatThrownBy(() -> StatusMessages.decode(noHits))
        .hasMessage("field hits is missing or not a whole number");
    String textPid = StatusMessages.encode(status).replace("\"pid\":4242", "\"pid\":\"4242\"");
    assertThatThrownBy(() -> StatusMessages.decode(textPid))
        .hasMessage("field pid is missing or not a whole number");
  }
}
