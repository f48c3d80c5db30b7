package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Verified TLS for a Lettuce client of your own, set up as {@link RedisBus} and {@link
 * RedisSharedTier} set up theirs (see {@link RedisBusBuilder#trustCertificates} and {@link
 * RedisBusBuilder#clientCertificate}), and the plain words for a connection that TLS refused.
 */
public final class RedisTls {

  private RedisTls() {}

  /**
   * The {@link SslOptions} to give a client of {@code uri} (with {@code
   * ClientOptions.builder().sslOptions(...)}): trusting the CAs in {@code trustCertificates}, or
   * the JVM's if null, and presenting {@code clientCertificate} with {@code clientKey}, or none if
   * both are null. The files are checked as the builders check them.
   *
   * @throws IllegalArgumentException with the builders' messages: a {@code redis://} URI, a file
   *     missing, unreadable or not PEM, a key that is not the certificate's, only one of the
   *     certificate and its key
   */
  public static SslOptions sslOptions(
      RedisURI uri, Path trustCertificates, Path clientCertificate, Path clientKey) {
    TlsSettings tls = new TlsSettings(uri);
    if (trustCertificates != null) {
      tls.trustCertificates(trustCertificates);
    }
    if (clientCertificate != null || clientKey != null) {
      if (clientCertificate == null || clientKey == null) {
        throw new IllegalArgumentException(
            "a client certificate needs both the certificate and its key");
      }
      tls.clientCertificate(clientCertificate, clientKey);
    }
    return tls.sslOptions();
  }

  /**
   * Why TLS refused a connection to {@code host}, in plain words ("the server's certificate is not
   * signed by a trusted CA (...)", "... does not match host 127.0.0.1 (...)", "the server requires
   * a client certificate ..."), if {@code failure} or one of its causes says so; empty for anything
   * else, such as an outage or a timeout.
   */
  public static Optional<String> refusal(Throwable failure, String host) {
    return TlsSettings.refusal(failure, host);
  }
}
