package io.freshcache.jdbc.pg;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A key or tag name with column placeholders, {@code product:{id}}: literal text and {@code
 * {column}} parts. Renders a row's values into a name; gives the glob that covers every name it can
 * render.
 */
final class Template {

  /**
   * What a placeholder's column holds in a row that cannot say (an old value PostgreSQL did not
   * send).
   */
  static final String UNKNOWN = new String("<unknown>");

  private final String text;
  private final List<String> parts; // even index: literal; odd index: column name
  private final Set<String> columns;

  private Template(String text, List<String> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
    Set<String> cols = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) {
      cols.add(parts.get(i));
    }
    this.columns = Set.copyOf(cols);
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the problem: no placeholder, an empty or unclosed one
   */
  static Template parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(what + " template must not be blank");
    }
    List<String> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '}') {
        throw new IllegalArgumentException(
            what + " template \"" + text + "\" has a '}' that closes nothing");
      }
      if (c != '{') {
        literal.append(c);
        i++;
        continue;
      }
      int end = text.indexOf('}', i);
      if (end < 0) {
        throw new IllegalArgumentException(
            what + " template \"" + text + "\" has a '{' without its '}'");
      }
      String column = text.substring(i + 1, end).trim();
      if (column.isEmpty() || column.indexOf('{') >= 0) {
        throw new IllegalArgumentException(
            what + " template \"" + text + "\" has an empty or nested placeholder");
      }
      parts.add(literal.toString());
      parts.add(column);
      literal.setLength(0);
      i = end + 1;
    }
    parts.add(literal.toString());
    if (parts.size() == 1) {
      throw new IllegalArgumentException(
          what
              + " template \""
              + text
              + "\" names no column: write the row's columns in braces, e.g. \"product:{id}\"");
    }
    return new Template(text, parts);
  }

  /** The columns the template reads. */
  Set<String> columns() {
    return columns;
  }

  /**
   * The name for a row, or {@code null} if a column is SQL NULL (nothing to invalidate); {@link
   * #UNKNOWN} if a column's value is unknown.
   */
  String render(Function<String, String> valueOf) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
        continue;
      }
      String value = valueOf.apply(parts.get(i));
      if (value == UNKNOWN) {
        return UNKNOWN;
      }
      if (value == null) {
        return null;
      }
      out.append(value);
    }
    return out.toString();
  }

  /**
   * A glob matching every name this template renders ({@code product:*}), or {@code null} if it
   * starts with a placeholder and no glob short of "everything" covers it.
   */
  String coveringGlob() {
    String prefix = parts.get(0);
    if (prefix.isEmpty()) {
      return null;
    }
    StringBuilder glob = new StringBuilder();
    for (char c : prefix.toCharArray()) {
      if (c == '*' || c == '?' || c == '\\') {
        glob.append('\\');
      }
      glob.append(c);
    }
    return glob.append('*').toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
