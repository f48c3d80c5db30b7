package io.freshcache.cli;

import io.freshcache.redis.RedisTls;
import io.lettuce.core.RedisURI;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of a {@code --redis} option: the URI as the user wrote it, checked by Lettuce, and a
 * description of it for messages that never shows a password.
 *
 * @param uri the URI as given, e.g. {@code redis://:secret@127.0.0.1:6379/0}
 * @param parsed Lettuce's reading of it
 */
public record RedisAddress(String uri, RedisURI parsed) {

  /** Where messages say we connected: scheme, host and port (and database), no credentials. */
  @Override
  public String toString() {
    if (parsed.getSocket() != null) {
      return "redis-socket://" + parsed.getSocket();
    }
    String db = parsed.getDatabase() == 0 ? "" : "/" + parsed.getDatabase();
    return (parsed.isSsl() ? "rediss" : "redis")
        + "://"
        + parsed.getHost()
        + ":"
        + parsed.getPort()
        + db;
  }

  /** Where Redis is, for headers: {@code host:port} (and {@code /db}), or the socket's path. */
  public String hostAndPort() {
    if (parsed.getSocket() != null) {
      return parsed.getSocket();
    }
    String db = parsed.getDatabase() == 0 ? "" : "/" + parsed.getDatabase();
    return parsed.getHost() + ":" + parsed.getPort() + db;
  }

  /**
   * The one line to print when Redis cannot be reached or refuses us: where, and the innermost
   * cause (e.g. "Connection refused"), which is what a person can act on; for a connection that TLS
   * refused, why in plain words (e.g. "the server's certificate is not signed by a trusted CA").
   */
  public String unreachable(Throwable failure) {
    Optional<String> tls = RedisTls.refusal(failure, parsed.getHost());
    if (tls.isPresent()) {
      return "TLS refused the connection to Redis at " + this + ": " + Text.printable(tls.get());
    }
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return "cannot reach Redis at " + this + ": " + Text.printable(reason);
  }

  /**
   * A client for a command that reads Redis itself: a 5 s timeout, the client named {@code
   * freshcache-<command>-<random>} (so {@code CLIENT LIST} shows who it is), TLS if {@code ssl} is
   * not null. The caller shuts it down.
   */
  public io.lettuce.core.RedisClient client(String command, io.lettuce.core.SslOptions ssl) {
    RedisURI uri = RedisURI.builder(parsed).withTimeout(java.time.Duration.ofSeconds(5)).build();
    uri.setClientName(
        "freshcache-" + command + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri);
    if (ssl != null) {
      client.setOptions(io.lettuce.core.ClientOptions.builder().sslOptions(ssl).build());
    }
    return client;
  }

  /** Parses {@code --redis} values. */
  public static final class Converter implements ITypeConverter<RedisAddress> {
    @Override
    public RedisAddress convert(String uri) {
      try {
        return new RedisAddress(uri, RedisURI.create(uri));
      } catch (RuntimeException e) {
        throw new TypeConversionException(
            "'"
                + uri
                + "' is not a Redis URI; write redis://HOST[:PORT][/DB],"
                + " redis://:PASSWORD@HOST:PORT or rediss:// for TLS");
      }
    }
  }
}
