package io.freshcache.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
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

  /** Loads the script (SCRIPT LOAD) and waits for Redis to answer. */
  Script(RedisAsyncCommands<String, byte[]> commands, String source, ScriptOutputType output)
      throws Exception {
    this.source = source;
    this.output = output;
    this.digest = commands.scriptLoad(source).get();
  }

  <T> CompletableFuture<T> run(
      RedisAsyncCommands<String, byte[]> commands, String[] keys, byte[]... args) {
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

  String digest() {
    return digest;
  }
}
