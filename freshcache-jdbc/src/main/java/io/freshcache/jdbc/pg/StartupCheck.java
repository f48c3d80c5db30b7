package io.freshcache.jdbc.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks, before anything starts, that the server and the mapping can carry a change capture, and
 * resolves the mapping's tables. Each problem is one {@link ChangeCaptureException} whose message
 * says what to do. The only change it may make is creating the publication, and only after every
 * check passed.
 */
final class StartupCheck {

  private StartupCheck() {}

  static List<MappedTable> run(
      Connection c, List<TableMapping> mappings, String slot, String publication, boolean create)
      throws SQLException {
    String database = one(c, "select current_database()");
    String role = one(c, "select current_user");
    int version = Integer.parseInt(one(c, "show server_version_num"));
    if (version < 100000) {
      throw new ChangeCaptureException(
          "PostgreSQL " + version + " has no pgoutput plugin: change capture needs PostgreSQL 10+");
    }
    String walLevel = one(c, "show wal_level");
    if (!walLevel.equals("logical")) {
      throw new ChangeCaptureException(
          "wal_level is '"
              + walLevel
              + "', but change capture reads the logical replication stream: set wal_level ="
              + " logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart"
              + " PostgreSQL");
    }
    if (!bool(c, "select rolreplication or rolsuper from pg_roles where rolname = current_user")) {
      throw new ChangeCaptureException(
          "role '"
              + role
              + "' may not open a replication connection: ALTER ROLE \""
              + role
              + "\" REPLICATION (as a superuser), or connect as a role that has it");
    }
    if (Integer.parseInt(one(c, "show max_wal_senders")) == 0) {
      throw new ChangeCaptureException(
          "max_wal_senders is 0, so no replication connection is allowed: set max_wal_senders to"
              + " at least 1 (e.g. 10) in postgresql.conf and restart PostgreSQL");
    }
    checkSlot(c, slot, database);

    List<MappedTable> resolved = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (TableMapping m : mappings) {
      MappedTable t = resolve(c, m, database);
      if (!seen.add(t.qualified())) {
        throw new ChangeCaptureException(
            "table "
                + t.qualified()
                + " is mapped twice: give one TableMapping all of its key and tag templates");
      }
      resolved.add(t);
    }
    checkPublication(c, publication, resolved, create);
    return List.copyOf(resolved);
  }

  private static void checkSlot(Connection c, String slot, String database) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select plugin, database, slot_type from pg_replication_slots where slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          String plugin = rs.getString(1);
          String db = rs.getString(2);
          if (!"logical".equals(rs.getString(3))
              || !"pgoutput".equals(plugin)
              || !database.equals(db)) {
            throw new ChangeCaptureException(
                "replication slot '"
                    + slot
                    + "' exists but is not a pgoutput slot of database '"
                    + database
                    + "' (plugin "
                    + plugin
                    + ", database "
                    + db
                    + "): choose another slot name, or drop it with SELECT"
                    + " pg_drop_replication_slot('"
                    + slot
                    + "') if nothing uses it");
          }
          return;
        }
      }
    }
    int max = Integer.parseInt(one(c, "show max_replication_slots"));
    int used = Integer.parseInt(one(c, "select count(*) from pg_replication_slots"));
    if (used >= max) {
      throw new ChangeCaptureException(
          "no replication slot is free for '"
              + slot
              + "' (max_replication_slots = "
              + max
              + ", all in use): raise max_replication_slots in postgresql.conf and restart"
              + " PostgreSQL, or drop an abandoned slot (SELECT slot_name, active FROM"
              + " pg_replication_slots)");
    }
  }

  private static MappedTable resolve(Connection c, TableMapping m, String database)
      throws SQLException {
    String schema;
    String name;
    int oid;
    char identity;
    try (PreparedStatement s =
        c.prepareStatement(
            "select n.nspname, r.relname, r.oid::int, r.relreplident, r.relkind from pg_class r"
                + " join pg_namespace n on n.oid = r.relnamespace where r.oid = to_regclass(?)")) {
      s.setString(1, m.table());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new ChangeCaptureException(
              "table '"
                  + m.table()
                  + "' in the mapping does not exist in database '"
                  + database
                  + "' (search_path "
                  + one(c, "show search_path")
                  + "): fix the TableMapping's name (schema-qualify it if needed) or create the"
                  + " table");
        }
        schema = rs.getString(1);
        name = rs.getString(2);
        oid = rs.getInt(3);
        identity = rs.getString(4).charAt(0);
        String kind = rs.getString(5);
        if (kind.equals("p")) {
          // pgoutput names a partitioned table's changes after the leaf partition that holds the
          // row: matched by name, they would be skipped without a word.
          throw new ChangeCaptureException(
              "table "
                  + m.table()
                  + " is partitioned, which change capture does not map yet (its changes arrive"
                  + " under each partition's name): map its partitions, each with the same"
                  + " templates");
        }
        if (!kind.equals("r")) {
          throw new ChangeCaptureException(
              "'"
                  + m.table()
                  + "' is not a table (relkind "
                  + kind
                  + "): only tables have a change stream; map the table behind it");
        }
      }
    }
    String table = schema + "." + name;
    Map<String, Boolean> columns = new LinkedHashMap<>(); // name -> in the replica identity
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select a.attname, a.atttypid::regtype::text from pg_attribute a where a.attrelid = ?"
                + " and a.attnum > 0 and not a.attisdropped order by a.attnum")) {
      s.setInt(1, oid);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          columns.put(rs.getString(1), false);
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    List<String> identityColumns = identityColumns(c, oid, identity);
    if (identity == 'd' && identityColumns.isEmpty()) {
      throw new ChangeCaptureException(
          "table "
              + table
              + " has no primary key, so its updates and deletes cannot say which row changed"
              + " (and PostgreSQL refuses them once the table is published): add a primary key,"
              + " or run ALTER TABLE "
              + table
              + " REPLICA IDENTITY FULL");
    }
    if (identity == 'n') {
      throw new ChangeCaptureException(
          "table "
              + table
              + " has REPLICA IDENTITY NOTHING, so its updates and deletes carry no old row: run"
              + " ALTER TABLE "
              + table
              + " REPLICA IDENTITY DEFAULT (with a primary key) or FULL");
    }
    for (String col : identityColumns) {
      columns.put(col, true);
    }
    List<Template> templates = new ArrayList<>(m.keys());
    templates.addAll(m.tags());
    if (templates.isEmpty()) {
      throw new ChangeCaptureException(
          "the mapping of table "
              + table
              + " renders nothing: add a key or tag template, e.g. .key(\"product:{id}\")");
    }
    for (Template t : templates) {
      for (String col : t.columns()) {
        if (!columns.containsKey(col)) {
          throw new ChangeCaptureException(
              "table "
                  + table
                  + " has no column '"
                  + col
                  + "' (used by \""
                  + t
                  + "\"): fix the template; its columns are "
                  + String.join(", ", columns.keySet()));
        }
        if (identity != 'f' && !columns.get(col)) {
          throw new ChangeCaptureException(
              "\""
                  + t
                  + "\" reads column '"
                  + col
                  + "' of "
                  + table
                  + ", which is not in its replica identity, so an UPDATE or DELETE does not say"
                  + " its old value (a row moved to another category would leave the old one"
                  + " stale): run ALTER TABLE "
                  + table
                  + " REPLICA IDENTITY FULL, or use only columns of "
                  + (identity == 'd' ? "the primary key " : "the replica identity index ")
                  + identityColumns);
        }
      }
    }
    checkVersion(m, table, types);
    return new MappedTable(schema, name, m);
  }

  private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

  /** A value needs a version; a version column must exist and hold integers. */
  private static void checkVersion(TableMapping m, String table, Map<String, String> types) {
    String column = m.versionColumn();
    if (column == null) {
      if (m.valueFunction() != null) {
        throw new ChangeCaptureException(
            "the mapping of table "
                + table
                + " builds values but names no version column, and an instance cannot tell"
                + " whether a value without a version is newer than what it holds: add"
                + " .version(\"<column>\") naming the row's version column (one of "
                + String.join(", ", types.keySet())
                + ")");
      }
      return;
    }
    String type = types.get(column);
    if (type == null) {
      throw new ChangeCaptureException(
          "table "
              + table
              + " has no column '"
              + column
              + "' (named by .version(\""
              + column
              + "\")): fix the version column's name; its columns are "
              + String.join(", ", types.keySet()));
    }
    if (!INTEGER_TYPES.contains(type)) {
      throw new ChangeCaptureException(
          "version column '"
              + column
              + "' of "
              + table
              + " is "
              + type
              + ", not an integer: name a smallint, integer or bigint column the application"
              + " raises on every write");
    }
  }

  private static List<String> identityColumns(Connection c, int oid, char identity)
      throws SQLException {
    if (identity == 'f' || identity == 'n') {
      return List.of();
    }
    String which = identity == 'd' ? "i.indisprimary" : "i.indisreplident";
    List<String> cols = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and"
                + " a.attnum = any(i.indkey) where i.indrelid = ? and "
                + which)) {
      s.setInt(1, oid);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          cols.add(rs.getString(1));
        }
      }
    }
    return cols;
  }

  private static void checkPublication(
      Connection c, String publication, List<MappedTable> tables, boolean create)
      throws SQLException {
    Boolean all = null;
    boolean complete = false;
    try (PreparedStatement s =
        c.prepareStatement(
            "select puballtables, pubinsert and pubupdate and pubdelete and pubtruncate from"
                + " pg_publication where pubname = ?")) {
      s.setString(1, publication);
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          all = rs.getBoolean(1);
          complete = rs.getBoolean(2);
        }
      }
    }
    String list = String.join(", ", tables.stream().map(t -> quoted(t)).toList());
    if (all == null) {
      if (!create) {
        throw new ChangeCaptureException(
            "publication '"
                + publication
                + "' does not exist: CREATE PUBLICATION \""
                + publication
                + "\" FOR TABLE "
                + list
                + " (as the tables' owner), or let the capture create it");
      }
      try (Statement s = c.createStatement()) {
        s.execute("create publication \"" + publication + "\" for table " + list);
      } catch (SQLException e) {
        if ("42710".equals(e.getSQLState())) {
          // another instance created it at the same moment: check what it holds
          checkPublication(c, publication, tables, false);
          return;
        }
        throw new ChangeCaptureException(
            "could not create publication '"
                + publication
                + "' ("
                + e.getMessage()
                + "): have the tables' owner run CREATE PUBLICATION \""
                + publication
                + "\" FOR TABLE "
                + list,
            e);
      }
      return;
    }
    if (!complete) {
      throw new ChangeCaptureException(
          "publication '"
              + publication
              + "' does not publish every kind of change: ALTER PUBLICATION \""
              + publication
              + "\" SET (publish = 'insert, update, delete, truncate')");
    }
    if (all) {
      return;
    }
    Set<String> published = new LinkedHashSet<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select schemaname || '.' || tablename from pg_publication_tables where pubname = ?")) {
      s.setString(1, publication);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          published.add(rs.getString(1));
        }
      }
    }
    for (MappedTable t : tables) {
      if (!published.contains(t.qualified())) {
        throw new ChangeCaptureException(
            "publication '"
                + publication
                + "' does not include table "
                + t.qualified()
                + ": ALTER PUBLICATION \""
                + publication
                + "\" ADD TABLE "
                + quoted(t));
      }
    }
  }

  private static String quoted(MappedTable t) {
    return "\""
        + t.schema().replace("\"", "\"\"")
        + "\".\""
        + t.name().replace("\"", "\"\"")
        + "\"";
  }

  static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean bool(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
