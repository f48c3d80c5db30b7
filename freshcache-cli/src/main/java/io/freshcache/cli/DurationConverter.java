package io.freshcache.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration the way people write it on a command line: a number and a unit, {@code 2ms},
 * {@code 1.5s}, {@code 500us}, {@code 250ns}, {@code 1m}; a bare {@code 0} needs no unit.
 *
 * <p>No option takes a negative duration: {@code -2ms} is read as one and refused as negative
 * (picocli puts the option's name in front of the message), not as something that is not a
 * duration. Anything else fails with a message giving examples. Whether zero makes sense is for
 * each option to say.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern DURATION =
      Pattern.compile("(-)?(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Duration convert(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw invalid(text);
    }
    BigDecimal amount = new BigDecimal(m.group(2));
    String unit = m.group(3) == null ? "" : m.group(3).toLowerCase(Locale.ROOT);
    long nanosPerUnit =
        switch (unit) {
          case "ns" -> 1L;
          case "us", "µs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> {
            if (amount.signum() != 0) {
              throw invalid(text);
            }
            yield 0L;
          }
        };
    if (m.group(1) != null && amount.signum() != 0) {
      throw new TypeConversionException("must not be negative, was " + text.strip());
    }
    try {
      return Duration.ofNanos(
          amount.multiply(BigDecimal.valueOf(nanosPerUnit)).setScale(0).longValueExact());
    } catch (ArithmeticException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a whole number of nanoseconds, or is too long");
    }
  }

  private static TypeConversionException invalid(String text) {
    return new TypeConversionException(
        "'" + text + "' is not a duration; write a number and a unit, e.g. 2ms, 500us, 1.5s");
  }
}
