package io.freshcache.jdbc.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

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
 * <p>With a {@link #value} and a {@link #version} column, an INSERT or UPDATE carries the row's new
 * value instead: it goes out as an {@code update} event for the keys the new row renders, and an
 * instance holding one of those keys at an older version replaces its entry without loading it (one
 * holding it at the same or a newer version, or without a version, invalidates it; one not holding
 * it loads it on its next read). A version alone makes the keys' invalidation versioned: a slow
 * reader's fill of an older version is refused afterwards. Tags still invalidate, and deletes still
 * delete.
 *
 * <pre>{@code
 * TableMapping.table("products")
 *     .key("product:{id}")
 *     .tag("category:{category_id}")
 *     .version("version")                  // a column the application increments on each write
 *     .value(row -> new Product(row.number("id"), row.text("name"),
 *         row.number("category_id").intValue(), row.number("version")));
 * }</pre>
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
  private final Function<ChangedRow, ?> value;
  private final String version;

  private TableMapping(
      String table,
      List<Template> keys,
      List<Template> tags,
      Function<ChangedRow, ?> value,
      String version) {
    this.table = table;
    this.keys = List.copyOf(keys);
    this.tags = List.copyOf(tags);
    this.value = value;
    this.version = version;
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
    return new TableMapping(table, List.of(), List.of(), null, null);
  }

  /** Adds a key name template, e.g. {@code product:{id}}. */
  public TableMapping key(String template) {
    List<Template> more = new ArrayList<>(keys);
    more.add(Template.parse(template, "key"));
    return new TableMapping(table, more, tags, value, version);
  }

  /** Adds a tag template, e.g. {@code category:{category_id}}. */
  public TableMapping tag(String template) {
    List<Template> more = new ArrayList<>(tags);
    more.add(Template.parse(template, "tag"));
    return new TableMapping(table, keys, more, value, version);
  }

  /**
   * How to build the cached value from a row an INSERT or UPDATE left: its keys then receive the
   * value in an {@code update} event. The value travels as JSON and is read by each receiving cache
   * as its value type with freshcache's JSON mapping (records, beans, {@code java.time}), so build
   * what the cache holds, or something of the same JSON shape. Needs a {@link #version} column (an
   * update without a version only invalidates) and the group's {@code EventKeys} on the capture
   * (instances write only signed values); the capture refuses to start without them. A function
   * that throws for a row, or returns null, leaves that row's keys invalidated instead.
   */
  public TableMapping value(Function<ChangedRow, ?> builder) {
    if (value != null) {
      throw new IllegalStateException("value was already set for table " + table);
    }
    Objects.requireNonNull(builder, "value function must not be null");
    return new TableMapping(table, keys, tags, builder, version);
  }

  /**
   * The column holding the row's version: an integer ({@code smallint}, {@code int}, {@code
   * bigint}) the application raises on every write, the same version the caches give their values
   * ({@code FreshCacheBuilder.version}). Larger is newer.
   */
  public TableMapping version(String column) {
    if (version != null) {
      throw new IllegalStateException(
          "version was already set to column '" + version + "' for table " + table);
    }
    Objects.requireNonNull(column, "version column must not be null");
    if (column.isBlank()) {
      throw new IllegalArgumentException("version column must not be blank");
    }
    return new TableMapping(table, keys, tags, value, column.trim());
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

  Function<ChangedRow, ?> valueFunction() {
    return value;
  }

  /** The version column, or null. */
  String versionColumn() {
    return version;
  }

  @Override
  public String toString() {
    return "TableMapping["
        + table
        + ", keys "
        + keys
        + ", tags "
        + tags
        + (version == null ? "" : ", version " + version)
        + (value == null ? "" : ", with values")
        + "]";
  }
}
