package io.freshcache.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its digest (EVALSHA), one round trip. If Redis no longer knows it (NOSCRIPT,
 * after a restart or SCRIPT FLUSH), the call is sent once more as EVAL, which also loads it again.
 * Thread-safe.
 */
final class Script {

  private final String source;
  private final String digest;
  private final ScriptOutputType output;

  /**
   * A script known by its SHA-1 digest, computed here: Redis learns it from the first EVAL that
   * follows a NOSCRIPT, so no connection is needed to make one.
   */
  Script(String source, ScriptOutputType output) {
    this.source = source;
    this.output = output;
    try {
      byte[] sha =
          java.security.MessageDigest.getInstance("SHA-1")
              .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      this.digest = java.util.HexFormat.of().formatHex(sha);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-1, which every JVM must have", e);
    }
  }

  <T> CompletableFuture<T> run(
      RedisClusterAsyncCommands<String, byte[]> commands, String[] keys, byte[]... args) {
    return call(commands, keys, args);
  }

  /** As {@link #run}, over a connection of string values. */
  <T> CompletableFuture<T> runWithText(
      RedisClusterAsyncCommands<String, String> commands, String[] keys, String... args) {
    return call(commands, keys, args);
  }

  /** Runs the script by its digest, and as text if Redis answers NOSCRIPT. */
  private <T, V> CompletableFuture<T> call(
      RedisClusterAsyncCommands<String, V> commands, String[] keys, V[] args) {
    CompletableFuture<T> first =
        commands.<T>evalsha(digest, output, keys, args).toCompletableFuture();
    return first
        .handle(
            (result, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(result);
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof RedisNoScriptException) {
                return commands.<T>eval(source, output, keys, args).toCompletableFuture();
              }
              return CompletableFuture.<T>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  /** Sends SCRIPT LOAD, so that the first EVALSHA is not refused; completes with Redis's reply. */
  CompletableFuture<String> preload(RedisScriptingAsyncCommands<String, ?> commands) {
    return commands.scriptLoad(source).toCompletableFuture();
  }

  String digest() {
    return digest;
  }
}
