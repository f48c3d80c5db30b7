package io.freshcache.cli;

/** Text from the outside world, made safe to print on one line of a terminal. */
public final class Text {

  private Text() {}

  /**
   * {@code text} with control characters escaped ({@code \n}, {@code \t}, {@code \u001b}...), so
   * that a hostile or broken publisher cannot split a line or send terminal escapes.
   */
  public static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }
}
