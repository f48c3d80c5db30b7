package io.freshcache;

/**
 * Glob matching over key strings ({@code *}, {@code ?}, {@code \} escapes), as Redis's {@code SCAN
 * MATCH} reads them for those three, without building a regex per match.
 */
final class Patterns {

  static final int MAX_LENGTH = 1024;

  private Patterns() {}

  static String requireKey(String text, String what) {
    if (text == null) {
      throw new NullPointerException(what + " must not be null");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a "
              + what
              + " of "
              + text.length()
              + " characters is longer than the limit of "
              + MAX_LENGTH);
    }
    return text;
  }

  /**
   * True if the glob has no literal character, so it matches every key (or every non-empty key).
   */
  static boolean matchesEverything(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c != '*' && c != '?') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code text} matches {@code glob}. Iterative, linear-ish backtracking on the last star.
   */
  static boolean matches(String glob, String text) {
    int g = 0;
    int t = 0;
    int starG = -1;
    int starT = -1;
    while (t < text.length()) {
      if (g < glob.length()) {
        char c = glob.charAt(g);
        if (c == '*') {
          starG = g++;
          starT = t;
          continue;
        }
        if (c == '?') {
          g++;
          t++;
          continue;
        }
        if (c == '\\' && g + 1 < glob.length()) {
          c = glob.charAt(g + 1);
          if (c == text.charAt(t)) {
            g += 2;
            t++;
            continue;
          }
        } else if (c == text.charAt(t)) {
          g++;
          t++;
          continue;
        }
      }
      if (starG < 0) {
        return false;
      }
      g = starG + 1;
      t = ++starT;
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
