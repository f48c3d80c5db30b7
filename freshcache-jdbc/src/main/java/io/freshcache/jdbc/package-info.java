/**
 * freshcache on JDBC: the read and write paths of a cache whose source of truth is a relational
 * database, and cache work that follows a transaction's outcome.
 *
 * <ul>
 *   <li>{@link io.freshcache.jdbc.JdbcSource}: a {@link io.freshcache.Source} from SQL — one query
 *       per key, and one query for many keys ({@code = any(?)}, or {@code in (?)} in chunks).
 *   <li>{@link io.freshcache.jdbc.JdbcWriter}: a {@link io.freshcache.Writer} running one upsert
 *       per write, and a JDBC batch per write-behind flush.
 *   <li>{@link io.freshcache.jdbc.JdbcTransactions} and {@link io.freshcache.jdbc.JdbcTransaction}:
 *       invalidations issued inside a transaction take effect after its commit and not at all on
 *       rollback; write-through puts join the transaction.
 * </ul>
 *
 * <p>Everything here takes a {@link javax.sql.DataSource}, typically a connection pool such as
 * HikariCP's. Invalidation from the database's own commit log (change data capture, no application
 * code on the write path) lives in {@link io.freshcache.jdbc.pg}.
 */
package io.freshcache.jdbc;
