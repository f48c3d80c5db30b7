package io.freshcache.event;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The naming rules every module applies, in one place: names of groups and caches, keys and tags as
 * the wire format carries them, and glob matching over key strings ({@code *}, {@code ?}, {@code \}
 * escapes, as Redis's {@code SCAN MATCH} reads those three) without building a regex per match.
 */
public final class Names {

  /** The longest key, tag or glob, in characters. */
  public static final int MAX_LENGTH = 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private Names() {}

  /**
   * Checks the name of a group, a cache or a Redis key prefix: 1 to 128 letters, digits and {@code
   * . _ : -}, starting with a letter or digit.
   *
   * @param what what the name names, for the message ("cache name", "group name", …)
   * @return {@code name}
   * @throws IllegalArgumentException saying what is wrong and what is allowed
   */
  public static String requireName(String name, String what) {
    Objects.requireNonNull(name, () -> what + " must not be null");
    if (!isName(name)) {
      throw new IllegalArgumentException(
          what
              + " \""
              + name
              + "\" is not valid: use 1 to 128 letters, digits and . _ : -,"
              + " starting with a letter or digit");
    }
    return name;
  }

  /** Whether {@code name} is a valid group, cache or prefix name (see {@link #requireName}). */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Checks a tag: not null, not blank, at most {@link #MAX_LENGTH} characters.
   *
   * @return {@code tag}
   */
  public static String requireTag(String tag) {
    if (tag == null) {
      throw new NullPointerException("a tag must not be null");
    }
    if (tag.isBlank()) {
      throw new IllegalArgumentException("a tag must not be blank");
    }
    if (tag.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a tag of " + tag.length() + " characters is longer than the limit of " + MAX_LENGTH);
    }
    return tag;
  }

  /**
   * Checks a key's wire name or a glob: not null, not empty, at most {@link #MAX_LENGTH}
   * characters.
   *
   * @param what what the text is, for the message ("key", "pattern")
   * @return {@code text}
   */
  public static String requireKey(String text, String what) {
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
  public static boolean matchesEverything(String glob) {
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
  public static boolean matches(String glob, String text) {
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
