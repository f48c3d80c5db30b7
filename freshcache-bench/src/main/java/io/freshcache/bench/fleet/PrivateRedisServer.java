package io.freshcache.bench.fleet;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The harness's own redis-server, on a free loopback port, with no persistence (a restart forgets
 * everything, as a failover to an empty replica would) and the DEBUG command enabled.
 */
public final class PrivateRedisServer implements AutoCloseable {

  final int port;
  private final Path dir;
  private final String binary;
  private Process process;

  /** Starts {@code binary} on a free port, its files under {@code runDir}/redis. */
  public PrivateRedisServer(String binary, Path runDir) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    this.binary = binary;
    this.dir = Files.createDirectories(runDir.resolve("redis"));
    start();
  }

  /** Where it listens, e.g. {@code redis://127.0.0.1:40123}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  void start() throws IOException {
    process =
        new ProcessBuilder(
                List.of(
                    binary,
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--enable-debug-command",
                    "yes",
                    "--dir",
                    dir.toString()))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "redis.log")))
            .redirectErrorStream(true)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        sleepQuietly(10);
      }
    }
    throw new IOException(
        binary + " did not start on port " + port + "; see " + dir.resolve("redis.log"));
  }

  /** Stops the server (SIGKILL: nothing saved, every connection dropped). */
  void stop() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGKILL, not waiting: for a shutdown hook. */
  void destroy() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      stop();
    }
  }
}
