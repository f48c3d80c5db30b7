package io.freshcache.cli;

import io.freshcache.redis.RedisBusBuilder;
import io.freshcache.redis.RedisSharedTierBuilder;
import io.freshcache.redis.RedisTls;
import io.lettuce.core.SslOptions;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --tls-*} options of the commands that connect to Redis: the CA to verify the server
 * against and the client certificate for mutual TLS, handed to the library's checks. What they
 * refuse is a usage error (exit code 2) that names the option.
 */
public final class TlsOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "With a rediss:// URI: verify the server's certificate against the CA certificates in"
              + " FILE (PEM) instead of the JVM's trusted CAs. The certificate must also name the"
              + " URI's host. (A URI ending in verifyPeer=NONE turns verification off: for"
              + " development only.)")
  Path ca;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "With a rediss:// URI: present this client certificate (PEM) to a server that requires"
              + " one (mutual TLS); needs --tls-key.")
  Path certificate;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The --tls-cert certificate's private key: unencrypted PKCS#8 PEM.")
  Path key;

  public void applyTo(RedisBusBuilder bus) {
    requirePair();
    if (ca != null) {
      check(() -> bus.trustCertificates(ca));
    }
    if (certificate != null) {
      check(() -> bus.clientCertificate(certificate, key));
    }
  }

  public void applyTo(RedisSharedTierBuilder tier) {
    requirePair();
    if (ca != null) {
      check(() -> tier.trustCertificates(ca));
    }
    if (certificate != null) {
      check(() -> tier.clientCertificate(certificate, key));
    }
  }

  /** For a Lettuce client of the command's own; null when no option was given. */
  public SslOptions sslOptions(RedisAddress redis) {
    requirePair();
    if (ca == null && certificate == null) {
      return null;
    }
    return check(() -> RedisTls.sslOptions(redis.parsed(), ca, certificate, key));
  }

  private void requirePair() {
    if ((certificate == null) != (key == null)) {
      throw new ParameterException(
          spec.commandLine(),
          certificate == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
    }
  }

  /** The library names its settings; here the options are what the person typed. */
  private <T> T check(Supplier<T> setting) {
    try {
      return setting.get();
    } catch (IllegalArgumentException e) {
      String message =
          e.getMessage()
              .replace("clientCertificate's key", "--tls-key")
              .replace("clientCertificate", "--tls-cert")
              .replace("trustCertificates", "--tls-ca")
              .replace("the URI", "--redis");
      throw new ParameterException(spec.commandLine(), Text.printable(message), e);
    }
  }
}
