package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisSharedTier;
import io.freshcache.redis.TlsRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code invalidate} and {@code watch} with {@code --tls-ca}, {@code --tls-cert} and {@code
 * --tls-key}, against TLS-only redis-servers whose certificate (for {@code localhost}) a CA made by
 * the test signed; one of them requires client certificates.
 */
class TlsCommandsIT {

  private static TlsRedis.Certificates certificates;
  private static TlsRedis server;
  private static TlsRedis mutual;

  @BeforeAll
  static void start() throws Exception {
    certificates = TlsRedis.Certificates.make();
    server = TlsRedis.start(certificates);
    mutual = TlsRedis.requiringClientCertificates(certificates);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (mutual != null) {
      mutual.close();
    }
  }

  @Test
  void invalidateWithTheCaReachesAnInstanceOverVerifiedTls() throws Exception {
    String uri = server.uri("localhost");
    String namespace = "tls-invalidate";
    try (RedisBus bus =
            RedisBus.builder(uri, namespace).trustCertificates(certificates.ca).build();
        RedisSharedTier tier =
            RedisSharedTier.builder(uri, namespace).trustCertificates(certificates.ca).build();
        CacheGroup group = CacheGroup.builder(namespace).bus(bus).shared(tier).build()) {
      FreshCache<String, String> cache =
          group.cache("c", String.class, String.class).source(k -> "v").build();
      assertThat(cache.get("k")).isEqualTo("v");

      Cli.Run run =
          Cli.run(
              "invalidate",
              "--redis",
              uri,
              "--tls-ca",
              certificates.ca.toString(),
              "--namespace",
              namespace,
              "--key",
              "k");

      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).startsWith("invalidated keys [k] in group " + namespace);
      await().atMost(Duration.ofSeconds(5)).until(() -> cache.analytics().key("k").isEmpty());
    }
  }

  @Test
  void anUnknownCaIsOneClearLineAndExitCode1() {
    Cli.Run run =
        Cli.run(
            "invalidate",
            "--redis",
            server.uri("localhost"),
            "--tls-ca",
            certificates.otherCa.toString(),
            "--namespace",
            "tls-unknown",
            "--all");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith(
            "freshcache: TLS refused the connection to Redis at rediss://localhost:"
                + server.port
                + ": the server's certificate is not signed by a trusted CA")
        .doesNotContain("Exception");
  }

  @Test
  void aHostNameTheCertificateDoesNotListIsOneClearLine() {
    Cli.Run run =
        Cli.run(
            "watch",
            "--redis",
            server.uri("127.0.0.1"),
            "--tls-ca",
            certificates.ca.toString(),
            "--timeout",
            "5s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .contains("the server's certificate does not match host 127.0.0.1")
        .doesNotContain("Exception");
  }

  @Test
  void watchAndInvalidateWithAClientCertificatePassMutualTls() throws Exception {
    String uri = mutual.uri("localhost");
    String[] tls = {
      "--tls-ca",
      certificates.ca.toString(),
      "--tls-cert",
      certificates.clientCertificate.toString(),
      "--tls-key",
      certificates.clientKey.toString()
    };
    Cli.Running watch =
        Cli.start(
            concat(
                new String[] {"watch", "--redis", uri, "--count", "1", "--timeout", "30s"}, tls));
    await().until(() -> watch.err().contains("watching cache:invalidation:*"));

    Cli.Run invalidate =
        Cli.run(
            concat(
                new String[] {"invalidate", "--redis", uri, "--namespace", "tls-mutual", "--all"},
                tls));

    assertThat(invalidate.err()).isEmpty();
    assertThat(invalidate.exitCode()).isZero();
    Cli.Run watched = watch.finish();
    assertThat(watched.exitCode()).isZero();
    assertThat(watched.out()).contains("tls-mutual");
  }

  @Test
  void withoutAClientCertificateAServerThatRequiresOneIsOneClearLine() {
    Cli.Run run =
        Cli.run(
            "watch",
            "--redis",
            mutual.uri("localhost"),
            "--tls-ca",
            certificates.ca.toString(),
            "--timeout",
            "5s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .contains("the server requires a client certificate")
        .doesNotContain("Exception");
  }

  @Test
  void badTlsOptionsAreUsageErrorsNamingTheOption() {
    Cli.Run plain =
        Cli.run(
            "invalidate",
            "--redis",
            "redis://localhost:" + server.port,
            "--tls-ca",
            certificates.ca.toString(),
            "--namespace",
            "n",
            "--all");
    assertThat(plain.exitCode()).isEqualTo(2);
    assertThat(plain.err().lines().findFirst())
        .hasValue("freshcache: --tls-ca is set, but --redis is redis://; use rediss:// for TLS");

    String missing = certificates.dir.resolve("missing.pem").toString();
    Cli.Run noFile = Cli.run("watch", "--redis", server.uri("localhost"), "--tls-ca", missing);
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.err().lines().findFirst())
        .hasValue("freshcache: --tls-ca: no such file: " + missing);

    Cli.Run noKey =
        Cli.run(
            "watch",
            "--redis",
            server.uri("localhost"),
            "--tls-cert",
            certificates.clientCertificate.toString());
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err().lines().findFirst()).hasValue("freshcache: --tls-cert needs --tls-key");
    assertThat(noKey.err()).doesNotContain("Exception");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
