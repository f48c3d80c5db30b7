package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsANumberAndAUnit() {
    assertThat(converter.convert("2ms")).isEqualTo(Duration.ofMillis(2));
    assertThat(converter.convert("1.5s")).isEqualTo(Duration.ofMillis(1_500));
    assertThat(converter.convert("500us")).isEqualTo(Duration.ofNanos(500_000));
    assertThat(converter.convert("500µs")).isEqualTo(Duration.ofNanos(500_000));
    assertThat(converter.convert("250ns")).isEqualTo(Duration.ofNanos(250));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert(" 3 MS ")).isEqualTo(Duration.ofMillis(3));
  }

  @Test
  void zeroNeedsNoUnit() {
    assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsWhatIsNotADurationWithExamples() {
    for (String bad :
        new String[] {"2", "-2", "2 parsecs", "-2 parsecs", "ms", "", "1e3ms", "--1ms"}) {
      assertThatThrownBy(() -> converter.convert(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("2ms");
    }
  }

  @Test
  void rejectsANegativeDurationAsNegativeNotAsSomethingElse() {
    for (String negative : new String[] {"-2ms", " -1.5s ", "-1ns"}) {
      assertThatThrownBy(() -> converter.convert(negative))
          .as(negative)
          .isInstanceOf(TypeConversionException.class)
          .hasMessage("must not be negative, was " + negative.strip());
    }
  }

  @Test
  void minusZeroIsZero() {
    assertThat(converter.convert("-0")).isEqualTo(Duration.ZERO);
    assertThat(converter.convert("-0ms")).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsFractionsOfANanosecond() {
    assertThatThrownBy(() -> converter.convert("0.5ns"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("nanoseconds");
  }
}
