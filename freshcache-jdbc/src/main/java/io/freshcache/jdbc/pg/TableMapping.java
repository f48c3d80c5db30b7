package io.freshcache.jdbc.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one table's changes become invalidations: the key names and tags a row stands for, written as
 * templates over its columns.
 *
 * <pre>{@code
 * TableMapping.table("products")
 *     .key("product:{id}")                 // a changed row invalidates its key
 *     .tag("category:{category_id}");      // and its category's tag, before and after the change
 * }</pre>
 *
 * <p>An insert invalidates what the new row renders; a delete what the old row renders; an update
 * both, so a product moved between categories invalidates the old category's tag and the new one's.
 * A template whose column is SQL NULL renders nothing. A truncate invalidates everything the
 * mapping could render: every key matching the literal start of each key template ({@code
 * product:*}), and, when the table has tag templates, every entry of the group (tags cannot be
 * matched by a glob).
 *
 * <p>Old values come from the table's replica identity: with the default (the primary key), only
 * key columns' old values reach the change stream, so a template naming another column needs {@code
 * ALTER TABLE ... REPLICA IDENTITY FULL}; the capture refuses to start otherwise and says so.
 *
 * <p>Immutable: each method returns a new mapping.
 */
public final class TableMapping {

  private final String table;
  private final List<Template> keys;
  private final List<Template> tags;

  private TableMapping(String table, List<Template> keys, List<Template> tags) {
    this.table = table;
    this.keys = List.copyOf(keys);
    this.tags = List.copyOf(tags);
  }

  /**
   * A mapping for {@code table}: a name as SQL would resolve it ({@code products}, found on the
   * connection's search path) or schema-qualified ({@code sales.products}). Unquoted names are
   * folded to lower case, as SQL does.
   */
  public static TableMapping table(String table) {
    Objects.requireNonNull(table, "table must not be null");
    if (table.isBlank()) {
      throw new IllegalArgumentException("table must not be blank");
    }
    return new TableMapping(table, List.of(), List.of());
  }

  /** Adds a key name template, e.g. {@code product:{id}}. */
  public TableMapping key(String template) {
    List<Template> more = new ArrayList<>(keys);
    more.add(Template.parse(template, "key"));
    return new TableMapping(table, more, tags);
  }

  /** Adds a tag template, e.g. {@code category:{category_id}}. */
  public TableMapping tag(String template) {
    List<Template> more = new ArrayList<>(tags);
    more.add(Template.parse(template, "tag"));
    return new TableMapping(table, keys, more);
  }

  /** The table as given. */
  public String table() {
    return table;
  }

  List<Template> keys() {
    return keys;
  }

  List<Template> tags() {
    return tags;
  }

  @Override
  public String toString() {
    return "TableMapping[" + table + ", keys " + keys + ", tags " + tags + "]";
  }
}
