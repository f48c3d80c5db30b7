package io.freshcache.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TLS-only redis-server of the test's own, on a free port, with certificates that openssl makes
 * for the test: see {@link Certificates}. Public, in the test-jar, for the CLI's tests too.
 */
public final class TlsRedis implements AutoCloseable {

  /**
   * A CA, a server certificate it signed for {@code localhost} only (a SAN DNS entry, no IP
   * address: reached at 127.0.0.1, the host name does not match), a client certificate it signed,
   * and a second CA that signed nothing the server shows. Keys are EC P-256, unencrypted PKCS#8.
   */
  public static final class Certificates {
    public final Path dir;
    public final Path ca;
    public final Path otherCa;
    public final Path serverCertificate;
    public final Path serverKey;
    public final Path clientCertificate;
    public final Path clientKey;

    private Certificates(Path dir) {
      this.dir = dir;
      this.ca = dir.resolve("ca.pem");
      this.otherCa = dir.resolve("other-ca.pem");
      this.serverCertificate = dir.resolve("server.pem");
      this.serverKey = dir.resolve("server.key");
      this.clientCertificate = dir.resolve("client.pem");
      this.clientKey = dir.resolve("client.key");
    }

    /** Makes them all in a new temporary directory. */
    public static Certificates make() throws IOException, InterruptedException {
      Certificates c = new Certificates(Files.createTempDirectory("freshcache-tls-ca"));
      c.selfSigned("ca", "/CN=freshcache test CA");
      c.selfSigned("other-ca", "/CN=freshcache unrelated CA");
      Path server = c.dir.resolve("server.ext");
      Files.writeString(
          server,
          "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n"
              + "basicConstraints=CA:FALSE\n");
      c.signed("server", "/CN=localhost", server);
      Path client = c.dir.resolve("client.ext");
      Files.writeString(client, "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
      c.signed("client", "/CN=freshcache test client", client);
      return c;
    }

    private void selfSigned(String name, String subject) throws IOException, InterruptedException {
      openssl(
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-days",
          "1",
          "-subj",
          subject,
          "-addext",
          "basicConstraints=critical,CA:TRUE",
          "-addext",
          "keyUsage=critical,keyCertSign,cRLSign",
          "-keyout",
          name + ".key",
          "-out",
          name + ".pem");
    }

    private void signed(String name, String subject, Path extensions)
        throws IOException, InterruptedException {
      openssl(
          "req",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-subj",
          subject,
          "-keyout",
          name + ".key",
          "-out",
          name + ".csr");
      openssl(
          "x509",
          "-req",
          "-in",
          name + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-days",
          "1",
          "-extfile",
          extensions.toString(),
          "-out",
          name + ".pem");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add("openssl");
      command.addAll(List.of(args));
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    }
  }

  public final int port;
  private final Path dir;
  private final Process process;

  private TlsRedis(Certificates certificates, boolean authClients) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    dir = Files.createTempDirectory("freshcache-tls-redis-" + port);
    process =
        new ProcessBuilder(
                List.of(
                    "redis-server",
                    "--port",
                    "0",
                    "--tls-port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "-::1", // localhost may resolve to either; the leading - makes it optional
                    "--tls-cert-file",
                    certificates.serverCertificate.toString(),
                    "--tls-key-file",
                    certificates.serverKey.toString(),
                    "--tls-ca-cert-file",
                    certificates.ca.toString(),
                    "--tls-auth-clients",
                    authClients ? "yes" : "no",
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
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          process.destroyForcibly();
          throw new IOException("redis-server did not start with TLS; see " + dir);
        }
        Thread.onSpinWait();
      }
    }
  }

  /** A server that asks no certificate of its clients. */
  public static TlsRedis start(Certificates certificates) throws IOException {
    return new TlsRedis(certificates, false);
  }

  /** A server that refuses clients without a certificate signed by the CA (mutual TLS). */
  public static TlsRedis requiringClientCertificates(Certificates certificates) throws IOException {
    return new TlsRedis(certificates, true);
  }

  /** {@code rediss://host:port}. */
  public String uri(String host) {
    return "rediss://" + host + ":" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
