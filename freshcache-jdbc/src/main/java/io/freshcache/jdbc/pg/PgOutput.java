package io.freshcache.jdbc.pg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the messages of PostgreSQL's built-in {@code pgoutput} plugin, protocol version 1, text
 * format: what a change stream of a publication carries. Only what invalidation needs is kept.
 */
final class PgOutput {

  /** A column's value in a tuple that PostgreSQL left out: an unchanged TOASTed value. */
  static final String UNCHANGED = new String("<unchanged toast>");

  /** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
  static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private PgOutput() {}

  sealed interface Message
      permits Begin, Commit, Relation, Insert, Update, Delete, Truncate, Other {}

  /** A transaction starts; its changes follow, then its {@link Commit}. */
  record Begin(long finalLsn, long commitMicros, int xid) implements Message {}

  /** A transaction committed at {@code commitLsn}; resuming past {@code endLsn} skips it. */
  record Commit(long commitLsn, long endLsn, long commitMicros) implements Message {}

  /** A column of a relation; {@code key} when it belongs to the replica identity. */
  record Column(String name, boolean key) {}

  /** The shape of a table, sent before its first change in a session and after it changes. */
  record Relation(int oid, String schema, String name, char replicaIdentity, List<Column> columns)
      implements Message {}

  record Insert(int oid, String[] newRow) implements Message {}

  /**
   * {@code oldKind} is {@code 'O'} (the whole old row: replica identity full), {@code 'K'} (old key
   * columns, others null: the key changed) or {@code 0} (nothing old was sent).
   */
  record Update(int oid, char oldKind, String[] oldRow, String[] newRow) implements Message {}

  record Delete(int oid, char oldKind, String[] oldRow) implements Message {}

  record Truncate(int[] oids) implements Message {}

  /** Type, origin, logical decoding messages: nothing to invalidate. */
  record Other(char tag) implements Message {}

  static Message read(ByteBuffer b) {
    char tag = (char) b.get();
    switch (tag) {
      case 'B':
        return new Begin(b.getLong(), b.getLong() + PG_EPOCH_MICROS, b.getInt());
      case 'C':
        b.get(); // flags
        return new Commit(b.getLong(), b.getLong(), b.getLong() + PG_EPOCH_MICROS);
      case 'R':
        {
          int oid = b.getInt();
          String schema = string(b);
          String name = string(b);
          char identity = (char) b.get();
          int n = b.getShort();
          List<Column> columns = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            boolean key = (b.get() & 1) != 0;
            String column = string(b);
            b.getInt(); // type oid
            b.getInt(); // type modifier
            columns.add(new Column(column, key));
          }
          return new Relation(oid, schema, name, identity, List.copyOf(columns));
        }
      case 'I':
        {
          int oid = b.getInt();
          expect(b, 'N');
          return new Insert(oid, tuple(b));
        }
      case 'U':
        {
          int oid = b.getInt();
          char kind = (char) b.get();
          String[] old = null;
          char oldKind = 0;
          if (kind == 'K' || kind == 'O') {
            oldKind = kind;
            old = tuple(b);
            kind = (char) b.get();
          }
          if (kind != 'N') {
            throw new IllegalStateException(
                "pgoutput: an update without its new row ('" + kind + "')");
          }
          return new Update(oid, oldKind, old, tuple(b));
        }
      case 'D':
        {
          int oid = b.getInt();
          char kind = (char) b.get();
          return new Delete(oid, kind, tuple(b));
        }
      case 'T':
        {
          int n = b.getInt();
          b.get(); // options: cascade, restart identity
          int[] oids = new int[n];
          for (int i = 0; i < n; i++) {
            oids[i] = b.getInt();
          }
          return new Truncate(oids);
        }
      default:
        return new Other(tag);
    }
  }

  private static void expect(ByteBuffer b, char wanted) {
    char got = (char) b.get();
    if (got != wanted) {
      throw new IllegalStateException("pgoutput: expected '" + wanted + "', read '" + got + "'");
    }
  }

  /** A tuple's columns as text; null for SQL NULL, {@link #UNCHANGED} for an unchanged TOAST. */
  private static String[] tuple(ByteBuffer b) {
    int n = b.getShort();
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      char kind = (char) b.get();
      switch (kind) {
        case 'n' -> values[i] = null;
        case 'u' -> values[i] = UNCHANGED;
        case 't', 'b' -> {
          int length = b.getInt();
          byte[] bytes = new byte[length];
          b.get(bytes);
          values[i] = new String(bytes, StandardCharsets.UTF_8);
        }
        default -> throw new IllegalStateException("pgoutput: unknown column kind '" + kind + "'");
      }
    }
    return values;
  }

  private static String string(ByteBuffer b) {
    int start = b.position();
    int end = start;
    while (b.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - start];
    b.get(bytes);
    b.get(); // the terminating zero
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
