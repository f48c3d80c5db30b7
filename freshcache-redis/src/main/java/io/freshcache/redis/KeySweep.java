package io.freshcache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes every key matching a SCAN MATCH pattern: one SCAN with a COUNT, then one UNLINK of what
 * it returned, until the cursor comes back to 0. Never KEYS, so Redis never blocks on the whole
 * keyspace. Keys created during the sweep may be missed (SCAN's guarantee covers keys present
 * throughout); keys present throughout are deleted.
 */
final class KeySweep {

  static final int COUNT = 500;

  private KeySweep() {}

  /** Completes with how many keys the UNLINKs removed. */
  static CompletableFuture<Long> unlinkMatching(
      RedisClusterAsyncCommands<String, byte[]> commands, String match) {
    return step(commands, ScanArgs.Builder.matches(match).limit(COUNT), ScanCursor.INITIAL, 0);
  }

  private static CompletableFuture<Long> step(
      RedisClusterAsyncCommands<String, byte[]> commands,
      ScanArgs args,
      ScanCursor cursor,
      long sofar) {
    return commands
        .scan(cursor, args)
        .toCompletableFuture()
        .thenCompose(
            (KeyScanCursor<String> page) -> {
              CompletableFuture<Long> unlinked =
                  page.getKeys().isEmpty()
                      ? CompletableFuture.completedFuture(0L)
                      : commands
                          .unlink(page.getKeys().toArray(String[]::new))
                          .toCompletableFuture();
              return unlinked.thenCompose(
                  n ->
                      page.isFinished()
                          ? CompletableFuture.completedFuture(sofar + n)
                          : step(commands, args, page, sofar + n));
            });
  }
}
