package io.freshcache.jdbc.pg;

import io.freshcache.event.EventCodec;
import io.freshcache.event.Invalidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one session's decoded changes into the names they invalidate, a transaction at a time. Not
 * thread-safe: one per replication session (relation ids are announced per session).
 */
final class Translator {

  private static final Logger log = LoggerFactory.getLogger(PgChangeCapture.class);

  /** What one committed transaction invalidates. */
  static final class Changes {
    final Set<String> keys = new LinkedHashSet<>();
    final Set<String> tags = new LinkedHashSet<>();
    final Set<Invalidation> covers = new LinkedHashSet<>();

    /** Keys a row's new state writes: its version, and its value in wire form (or null). */
    final Map<String, Written> written = new LinkedHashMap<>();

    int rows;

    void invalidateKey(String key) {
      written.remove(key);
      keys.add(key);
    }

    void write(String key, Written w) {
      keys.remove(key);
      written.put(key, w);
    }

    List<Invalidation> invalidations() {
      List<Invalidation> out = new ArrayList<>();
      if (covers.contains(new Invalidation.All(null))) {
        out.add(new Invalidation.All(null));
        return out; // everything goes: keys and tags add nothing
      }
      out.addAll(covers);
      if (!keys.isEmpty()) {
        out.add(
            new Invalidation.Keys(null, List.copyOf(keys), false, java.util.OptionalLong.empty()));
      }
      if (!tags.isEmpty()) {
        out.add(new Invalidation.Tags(null, List.copyOf(tags)));
      }
      // After the tags: an entry a tag of this transaction invalidated is still held at its old
      // version, so the update below replaces it instead of leaving it to load again.
      Map<Long, List<String>> byVersion = new LinkedHashMap<>();
      Map<Long, Map<String, Object>> valuesByVersion = new HashMap<>();
      written.forEach(
          (key, w) -> {
            byVersion.computeIfAbsent(w.version(), v -> new ArrayList<>()).add(key);
            if (w.value() != null) {
              valuesByVersion
                  .computeIfAbsent(w.version(), v -> new HashMap<>())
                  .put(key, w.value());
            }
          });
      byVersion.forEach(
          (version, names) ->
              out.add(
                  new Invalidation.Update(
                      null,
                      names,
                      valuesByVersion.getOrDefault(version, Map.of()),
                      OptionalLong.of(version))));
      return out;
    }
  }

  /** A key's new state: the row's version, and its value as the wire carries it (or null). */
  record Written(long version, Object value) {}

  private record Bound(PgOutput.Relation relation, MappedTable table, Map<String, Integer> index) {}

  private final Map<String, MappedTable> byName = new HashMap<>();
  private final Map<Integer, Bound> relations = new HashMap<>();

  /** Tables already warned about, once per process: a missing old value, not per row. */
  private static final Set<String> warned = ConcurrentHashMap.newKeySet();

  Translator(List<MappedTable> tables) {
    for (MappedTable t : tables) {
      byName.put(t.qualified(), t);
    }
  }

  void relation(PgOutput.Relation r) {
    MappedTable table = byName.get(r.schema() + "." + r.name());
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < r.columns().size(); i++) {
      index.put(r.columns().get(i).name(), i);
    }
    relations.put(r.oid(), new Bound(r, table, index));
  }

  void insert(PgOutput.Insert m, Changes into) {
    Bound b = bound(m.oid());
    if (b == null) {
      return;
    }
    into.rows++;
    Function<String, String> newValue = col -> value(b, m.newRow(), null, col);
    render(b, newValue, into, written(b, newValue), Set.of());
  }

  void update(PgOutput.Update m, Changes into) {
    Bound b = bound(m.oid());
    if (b == null) {
      return;
    }
    into.rows++;
    String[] old = m.oldKind() == 'O' ? m.oldRow() : null;
    Function<String, String> newValue = col -> value(b, m.newRow(), old, col);
    Set<String> newKeys = render(b, newValue, into, written(b, newValue), Set.of());
    render(b, col -> oldValue(b, m.oldKind(), m.oldRow(), m.newRow(), col), into, null, newKeys);
  }

  void delete(PgOutput.Delete m, Changes into) {
    Bound b = bound(m.oid());
    if (b == null) {
      return;
    }
    into.rows++;
    render(b, col -> oldValue(b, m.oldKind(), m.oldRow(), null, col), into, null, Set.of());
  }

  void truncate(PgOutput.Truncate m, Changes into) {
    for (int oid : m.oids()) {
      Bound b = bound(oid);
      if (b != null) {
        into.rows++;
        into.covers.addAll(b.table().cover());
      }
    }
  }

  private Bound bound(int oid) {
    Bound b = relations.get(oid);
    if (b == null) {
      // pgoutput announces a relation before its first change in a session: a change without one
      // is a protocol error, not something to skip quietly.
      throw new IllegalStateException(
          "pgoutput: a change of relation " + oid + " before its shape");
    }
    return b.table() == null ? null : b;
  }

  /**
   * Adds what a row stands for: its keys, written with {@code written} if not null (else
   * invalidated), except those in {@code skip}; and its tags. Returns the keys it rendered.
   */
  private static Set<String> render(
      Bound b, Function<String, String> valueOf, Changes into, Written written, Set<String> skip) {
    TableMapping m = b.table().mapping();
    boolean unknown = false;
    Set<String> rendered = new LinkedHashSet<>();
    for (Template t : m.keys()) {
      String name = t.render(valueOf);
      if (name == Template.UNKNOWN) {
        unknown = true;
      } else if (name != null && !skip.contains(name)) {
        rendered.add(name);
        if (written != null) {
          into.write(name, written);
        } else {
          into.invalidateKey(name);
        }
      }
    }
    for (Template t : m.tags()) {
      String name = t.render(valueOf);
      if (name == Template.UNKNOWN) {
        unknown = true;
      } else if (name != null && !name.isBlank()) {
        into.tags.add(name);
      }
    }
    if (unknown) {
      // The stream did not carry a value a template needs (the replica identity was changed after
      // startup, or an unchanged TOASTed column): what the row stood for cannot be named, so
      // everything the table could stand for goes.
      if (warned.add(b.table().qualified())) {
        log.warn(
            "table {}: a change did not carry every column its templates read (is REPLICA"
                + " IDENTITY still FULL?); invalidating everything the table maps to instead",
            b.table().qualified());
      }
      into.covers.addAll(b.table().cover());
    }
    return rendered;
  }

  /**
   * What a row's new state writes to its keys, if the mapping names a version: the version, and the
   * value its function builds in wire form (null without a function, or when it cannot be built).
   * Null when the version cannot be read: the keys are then just invalidated.
   */
  private static Written written(Bound b, Function<String, String> valueOf) {
    TableMapping m = b.table().mapping();
    if (m.versionColumn() == null) {
      return null;
    }
    String text = valueOf.apply(m.versionColumn());
    long version;
    try {
      if (text == null || text == Template.UNKNOWN) {
        throw new NumberFormatException(text == null ? "SQL NULL" : "not carried");
      }
      version = Long.parseLong(text);
    } catch (NumberFormatException e) {
      warnOnce(
          b.table().qualified() + "/version",
          "table {}: a change's version column '{}' holds no integer ({}); invalidating its keys"
              + " instead of writing them",
          b.table().qualified(),
          m.versionColumn(),
          e.getMessage());
      return null;
    }
    if (m.valueFunction() == null) {
      return new Written(version, null);
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (PgOutput.Column c : b.relation().columns()) {
      String v = valueOf.apply(c.name());
      columns.put(c.name(), v == Template.UNKNOWN ? ChangedRow.NOT_CARRIED : v);
    }
    Object wire;
    try {
      Object value = m.valueFunction().apply(new ChangedRow(b.table().qualified(), columns));
      wire = value == null ? null : EventCodec.valueAs(value, Object.class);
    } catch (RuntimeException e) {
      warnOnce(
          b.table().qualified() + "/value",
          "table {}: the mapping's value function failed for a row ({}); invalidating its keys"
              + " instead of writing them",
          b.table().qualified(),
          e.toString());
      wire = null;
    }
    return new Written(version, wire);
  }

  private static void warnOnce(String what, String format, Object... args) {
    if (warned.add(what)) {
      log.warn(format, args);
    } else {
      log.debug(format, args);
    }
  }

  /** A column of the new row; an unchanged TOASTed value is read from the full old row if sent. */
  private static String value(Bound b, String[] row, String[] fullOld, String col) {
    Integer i = b.index().get(col);
    if (i == null || i >= row.length) {
      return Template.UNKNOWN;
    }
    String v = row[i];
    if (v == PgOutput.UNCHANGED) {
      v = fullOld == null || i >= fullOld.length ? PgOutput.UNCHANGED : fullOld[i];
    }
    return v == PgOutput.UNCHANGED ? Template.UNKNOWN : v;
  }

  /**
   * A column of the old row: from the full old row ('O'), from the old key ('K', key columns only),
   * or, when nothing old was sent, from the new row for key columns (the key did not change).
   */
  private static String oldValue(Bound b, char kind, String[] old, String[] newRow, String col) {
    Integer i = b.index().get(col);
    if (i == null) {
      return Template.UNKNOWN;
    }
    boolean key = b.relation().columns().get(i).key();
    String v;
    if (kind == 'O') {
      v = old[i];
    } else if (kind == 'K') {
      v = key ? old[i] : Template.UNKNOWN;
    } else if (newRow != null && key) {
      v = newRow[i];
    } else {
      v = Template.UNKNOWN;
    }
    return v == PgOutput.UNCHANGED ? Template.UNKNOWN : v;
  }
}
