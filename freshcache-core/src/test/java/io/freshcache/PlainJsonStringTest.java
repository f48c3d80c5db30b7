package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * String values whose JSON is a plain string skip Jackson's parser on decode: they must decode to
 * exactly what Jackson reads, and anything else must still go through Jackson.
 */
class PlainJsonStringTest {

  private static final List<String> VALUES =
      List.of(
          "",
          "v".repeat(1_024),
          "plain text, digits 0123 and ~!@#$%^&*()_+{}|:<>?",
          "a \"quoted\" word",
          "back\\slash",
          "tab\tand\nnewline",
          "\u0001 control",
          "\u007f delete",
          "é ü 日本 😀",
          "null",
          "  spaces  ");

  @Test
  void aStringDecodesToWhatItWasWhicheverPathItTakes() throws Exception {
    ValueCodec<String> codec = ValueCodec.json(String.class);
    for (String value : VALUES) {
      byte[] json = codec.encode(value);
      assertThat(codec.decode(json)).as(value).isEqualTo(value);
      String plain = JsonValues.plainString(json);
      if (plain != null) {
        assertThat(plain)
            .as(value)
            .isEqualTo(JsonValues.DEFAULT_MAPPER.readValue(json, String.class));
      }
    }
    assertThat(JsonValues.plainString(codec.encode("v".repeat(1_024)))).isNotNull();
  }

  @Test
  void onlyAQuotedRunOfPrintableAsciiIsReadWithoutJackson() {
    for (String json :
        List.of(
            "\"a\\\"b\"",
            "\"a\\u0041\"",
            "\"é\"",
            "\"tab\t\"",
            " \"a\"",
            "\"a\" ",
            "\"",
            "'a'",
            "\"a",
            "a\"",
            "null",
            "1",
            "\"a\"\"b\"")) {
      assertThat(JsonValues.plainString(json.getBytes(StandardCharsets.UTF_8))).as(json).isNull();
    }
    assertThat(JsonValues.plainString("\"\"".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(JsonValues.plainString("\"a b\"".getBytes(StandardCharsets.UTF_8))).isEqualTo("a b");
  }

  @Test
  void aBadDocumentStillFailsAsJacksonSaysAndAnotherMapperIsNeverBypassed() {
    ValueCodec<String> codec = ValueCodec.json(String.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> codec.decode("\"unterminated".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot decode a java.lang.String from JSON");
    com.fasterxml.jackson.databind.ObjectMapper upper =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(
                new com.fasterxml.jackson.databind.module.SimpleModule()
                    .addDeserializer(
                        String.class,
                        new com.fasterxml.jackson.databind.deser.std.StdDeserializer<String>(
                            String.class) {
                          @Override
                          public String deserialize(
                              com.fasterxml.jackson.core.JsonParser p,
                              com.fasterxml.jackson.databind.DeserializationContext ctxt)
                              throws java.io.IOException {
                            return p.getValueAsString().toUpperCase(java.util.Locale.ROOT);
                          }
                        }));
    assertThat(ValueCodec.json(String.class, upper).decode("\"abc\"".getBytes())).isEqualTo("ABC");
  }
}
