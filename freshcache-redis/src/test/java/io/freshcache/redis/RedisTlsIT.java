package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://}: the bus and the shared tier over TLS, against a redis-server of the test's own
 * listening only on a TLS port with a certificate made for the test by openssl. The certificate is
 * self-signed, so the URI turns peer verification off ({@code verifyPeer=NONE}); what is tested is
 * that everything travels over TLS, not certificate trust.
 */
class RedisTlsIT {

  private static Path dir;
  private static Process server;
  private static int port;

  @BeforeAll
  static void startTlsRedis() throws Exception {
    dir = Files.createTempDirectory("freshcache-tls");
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        dir.resolve("key.pem").toString(),
        "-out",
        dir.resolve("cert.pem").toString());
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server =
        new ProcessBuilder(
                List.of(
                    "redis-server",
                    "--port",
                    "0",
                    "--tls-port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--tls-cert-file",
                    dir.resolve("cert.pem").toString(),
                    "--tls-key-file",
                    dir.resolve("key.pem").toString(),
                    "--tls-ca-cert-file",
                    dir.resolve("cert.pem").toString(),
                    "--tls-auth-clients",
                    "no",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    dir.toString()))
            .redirectOutput(dir.resolve("redis.log").toFile())
            .redirectErrorStream(true)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException("redis-server did not start with TLS; see " + dir);
        }
        Thread.onSpinWait();
      }
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theBusAndTheSharedTierWorkOverTls() throws Exception {
    String uri = "rediss://127.0.0.1:" + port + "?verifyPeer=NONE";
    String namespace = "tls";
    try (RedisBus busA = RedisBus.builder(uri, namespace).keyPrefix("fctest").build();
        RedisBus busB = RedisBus.builder(uri, namespace).keyPrefix("fctest").build();
        RedisSharedTier tierA =
            RedisSharedTier.builder(uri, namespace).keyPrefix("fctest").build();
        RedisSharedTier tierB =
            RedisSharedTier.builder(uri, namespace).keyPrefix("fctest").build();
        CacheGroup a = CacheGroup.builder(namespace).bus(busA).shared(tierA).build();
        CacheGroup b = CacheGroup.builder(namespace).bus(busB).shared(tierB).build()) {
      FreshCache<String, String> onA =
          a.cache("c", String.class, String.class).source(k -> "v").build();
      FreshCache<String, String> onB =
          b.cache("c", String.class, String.class)
              .source(
                  k -> {
                    throw new IllegalStateException("B must be answered by the shared tier");
                  })
              .build();
      assertThat(onA.get("k")).isEqualTo("v");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(onB.get("k")).isEqualTo("v"));
      a.invalidateKeys("k");
      await().atMost(Duration.ofSeconds(5)).until(() -> onB.analytics().key("k").isEmpty());
      assertThat(a.stats().sharedFailures()).isZero();
    }
  }
}
