package io.freshcache.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Event types are checked by hand on every delivered event; the rule is the one the wire format
 * states as a regular expression, which serves here as the oracle.
 */
class EventTypesTest {

  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final String ALPHABET = "aZ9_-..x é*/";

  @Test
  void theHandCheckAcceptsExactlyWhatTheWireFormatsRuleAccepts() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 200_000; n++) {
      StringBuilder type = new StringBuilder();
      int length = random.nextInt(9);
      for (int i = 0; i < length; i++) {
        type.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String candidate = type.toString();
      assertThat(accepted(candidate))
          .as("\"%s\"", candidate)
          .isEqualTo(RULE.matcher(candidate).matches());
    }
  }

  @Test
  void aTypeIsAtMost200Characters() {
    assertThat(accepted("a".repeat(200))).isTrue();
    assertThat(accepted("a".repeat(201))).isFalse();
    assertThat(accepted("user.updated")).isTrue();
    assertThat(accepted("")).isFalse();
    assertThatThrownBy(() -> EventTypes.requireValid(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EventTypes.requireValid("user..updated"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user..updated")
        .hasMessageContaining("e.g. user.updated");
  }

  private static boolean accepted(String type) {
    try {
      EventTypes.requireValid(type);
      return true;
    } catch (IllegalArgumentException refused) {
      return false;
    }
  }
}
