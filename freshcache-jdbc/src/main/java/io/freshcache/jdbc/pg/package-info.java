/**
 * Invalidation from PostgreSQL's commit log: {@link io.freshcache.jdbc.pg.PgChangeCapture} reads a
 * logical replication slot (the built-in {@code pgoutput} plugin) and publishes every committed
 * change, mapped by {@link io.freshcache.jdbc.pg.TableMapping}s to key names and tags, on the
 * group's bus. {@link io.freshcache.jdbc.pg.CommitLag} measures commit to applied on an instance;
 * {@link io.freshcache.jdbc.pg.CaptureListener} hears of losses, leadership and retained WAL; a
 * start that cannot work throws {@link io.freshcache.jdbc.pg.ChangeCaptureException} naming the
 * fix.
 *
 * <p>Start here: {@link io.freshcache.jdbc.pg.PgChangeCapture#builder}. The decoder of the
 * replication protocol, the startup checks, the leader lock and the queue of transactions waiting
 * for the bus are package-private.
 */
package io.freshcache.jdbc.pg;
