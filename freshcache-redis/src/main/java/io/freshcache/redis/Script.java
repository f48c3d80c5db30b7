package io.freshcache.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A Lua script run by its digest (EVALSHA), one round trip. If Redis no longer knows it (NOSCRIPT,
 * after a restart or SCRIPT FLUSH), the call is sent once more as EVAL, which also loads it again.
 * Thread-safe.
 */
final class Script {

  private final String source;
  private final String digest;
  private final byte[] sourceBytes;
  private final byte[] digestBytes;
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
      this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
      this.digestBytes = digest.getBytes(StandardCharsets.US_ASCII);
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
    return commands
        .<T>evalsha(digest, output, keys, args)
        .toCompletableFuture()
        .exceptionallyCompose(
            failure ->
                noScript(failure)
                    ? commands.<T>eval(source, output, keys, args).toCompletableFuture()
                    : CompletableFuture.failedFuture(unwrapped(failure)));
  }

  /**
   * {@link #run} with keys and arguments as bytes and the reply read by {@code output} (a new one
   * per command sent), so that nothing is encoded twice or boxed: for the calls on every read. The
   * keys are routed as keys (in a cluster, by their slot).
   */
  <T> CompletableFuture<T> run(
      RedisClusterAsyncCommands<String, byte[]> commands,
      Supplier<? extends CommandOutput<String, byte[], T>> output,
      byte[][] keys,
      byte[]... args) {
    return commands
        .dispatch(CommandType.EVALSHA, output.get(), arguments(digestBytes, keys, args))
        .toCompletableFuture()
        .exceptionallyCompose(
            failure ->
                noScript(failure)
                    ? commands
                        .dispatch(
                            CommandType.EVAL, output.get(), arguments(sourceBytes, keys, args))
                        .toCompletableFuture()
                    : CompletableFuture.failedFuture(unwrapped(failure)));
  }

  /**
   * The script's arguments with the keys as bytes. Lettuce encodes each argument with the codec of
   * its {@link CommandArgs}, not the connection's, so byte keys go out as they are on a
   * String-keyed connection.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static CommandArgs<String, byte[]> arguments(
      byte[] script, byte[][] keys, byte[][] args) {
    CommandArgs<byte[], byte[]> out = new CommandArgs<>(ByteArrayCodec.INSTANCE);
    out.add(script).add(keys.length);
    for (byte[] key : keys) {
      out.addKey(key);
    }
    for (byte[] arg : args) {
      out.add(arg);
    }
    return (CommandArgs) out;
  }

  private static boolean noScript(Throwable failure) {
    return unwrapped(failure) instanceof RedisNoScriptException;
  }

  private static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** Sends SCRIPT LOAD, so that the first EVALSHA is not refused; completes with Redis's reply. */
  CompletableFuture<String> preload(RedisScriptingAsyncCommands<String, ?> commands) {
    return commands.scriptLoad(source).toCompletableFuture();
  }

  String digest() {
    return digest;
  }
}
