package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON value codec: what the default handles, and an application's own mapper. */
class ValueCodecTest {

  record Booking(
      String guest,
      Instant at,
      LocalDate day,
      Duration stay,
      Optional<String> note,
      Optional<Integer> room) {}

  record Account(String displayName, Instant createdAt) {}

  private static final Booking BOOKING =
      new Booking(
          "ada",
          Instant.parse("2024-11-27T08:30:00.123Z"),
          LocalDate.of(2024, 11, 27),
          Duration.ofHours(36),
          Optional.of("late arrival"),
          Optional.empty());

  private final ValueCodec<Booking> codec = ValueCodec.json(Booking.class);

  @Test
  void defaultCodecRoundTripsJavaTimeAndOptionalValues() {
    assertThat(codec.decode(codec.encode(BOOKING))).isEqualTo(BOOKING);
  }

  @Test
  void defaultCodecWritesDatesAndDurationsAsIsoStrings() {
    String json = new String(codec.encode(BOOKING), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"at\":\"2024-11-27T08:30:00.123Z\"")
        .contains("\"day\":\"2024-11-27\"")
        .contains("\"stay\":\"PT36H\"")
        .contains("\"note\":\"late arrival\"");
  }

  @Test
  void defaultCodecIgnoresPropertiesItDoesNotKnow() {
    // What a newer instance may write during a rolling deploy: a field this version lacks.
    String newer =
        "{\"guest\":\"ada\",\"at\":\"2024-11-27T08:30:00.123Z\",\"day\":\"2024-11-27\","
            + "\"stay\":\"PT36H\",\"note\":\"late arrival\",\"room\":null,\"loyaltyTier\":\"gold\"}";

    assertThat(codec.decode(newer.getBytes(StandardCharsets.UTF_8))).isEqualTo(BOOKING);
  }

  @Test
  void applicationMapperIsUsedAsGiven() {
    ObjectMapper mapper =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule());
    var modules = Set.copyOf(mapper.getRegisteredModuleIds());
    ValueCodec<Account> accounts = ValueCodec.json(Account.class, mapper);
    Account account = new Account("Ada Lovelace", Instant.ofEpochSecond(1_732_665_600));

    byte[] bytes = accounts.encode(account);

    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"display_name\":");
    assertThat(accounts.decode(bytes)).isEqualTo(account);
    assertThat(mapper.getRegisteredModuleIds()).isEqualTo(modules);
  }

  @Test
  void applicationMapperIsNotGivenModulesBehindItsBack() {
    ObjectMapper plain = new ObjectMapper();

    assertThatThrownBy(() -> ValueCodec.json(Booking.class, plain).encode(BOOKING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Booking.class.getName());
    assertThat(plain.getRegisteredModuleIds()).isEmpty();
  }

  @Test
  void codecErrorsAreOneLineNamingTheType() {
    assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot decode a " + Booking.class.getName())
        .hasMessageNotContaining("\n");
  }

  @Test
  void nullTypeOrMapperIsRefused() {
    assertThatThrownBy(() -> ValueCodec.json(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type must not be null");
    assertThatThrownBy(() -> ValueCodec.json(Booking.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("mapper must not be null");
  }
}
