package io.freshcache.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of the test's own: three masters on free ports (each with {@code replicas}
 * replicas if asked), started from the installed redis-server and joined with {@code redis-cli
 * --cluster create}. Stopped on close.
 */
final class PrivateRedisCluster implements AutoCloseable {

  private static PrivateRedisCluster shared;

  final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Path dir;
  private final int nodeTimeoutMillis;

  PrivateRedisCluster() throws IOException, InterruptedException {
    this(0);
  }

  PrivateRedisCluster(int replicas) throws IOException, InterruptedException {
    this(replicas, 15_000);
  }

  /**
   * A cluster whose nodes judge a node failed (and promote its replica) after {@code
   * nodeTimeoutMillis} without an answer from it (Redis's default: 15 s).
   */
  PrivateRedisCluster(int replicas, int nodeTimeoutMillis)
      throws IOException, InterruptedException {
    this.nodeTimeoutMillis = nodeTimeoutMillis;
    dir = Files.createTempDirectory("freshcache-cluster");
    for (int i = 0; i < 3 * (1 + replicas); i++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        ports.add(socket.getLocalPort());
      }
    }
    try {
      for (int port : ports) {
        processes.add(start(port));
      }
      for (int port : ports) {
        waitForPort(port);
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      ports.forEach(p -> create.add("127.0.0.1:" + p));
      create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
      Process joining =
          new ProcessBuilder(create)
              .redirectOutput(new File(dir.toFile(), "create.log"))
              .redirectErrorStream(true)
              .start();
      if (!joining.waitFor(30, TimeUnit.SECONDS) || joining.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed; see " + dir);
      }
      awaitOk();
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts the node of {@code port} in its directory (its nodes.conf, if any, kept). */
  private Process start(int port) throws IOException {
    Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
    return new ProcessBuilder(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                Integer.toString(nodeTimeoutMillis),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                nodeDir.toString()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("redis.log").toFile()))
        .redirectErrorStream(true)
        .start();
  }

  /** Kills the node of {@code port} outright (SIGKILL) and waits until its process is gone. */
  void kill(int port) throws InterruptedException {
    Process node = processes.get(ports.indexOf(port));
    node.destroyForcibly();
    node.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the node of {@code port} again, after {@link #kill}: it rejoins with its nodes.conf. */
  void restart(int port) throws IOException {
    processes.set(ports.indexOf(port), start(port));
    waitForPort(port);
  }

  /**
   * One cluster for every test class of this JVM that needs one (each works in namespaces of its
   * own), started on first use and stopped when the JVM exits.
   */
  static synchronized PrivateRedisCluster shared() {
    if (shared == null) {
      try {
        shared = new PrivateRedisCluster();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("could not start a private Redis Cluster", e);
      }
      PrivateRedisCluster stopping = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      stopping.close();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    return shared;
  }

  /** URIs of every node. */
  List<String> nodeUris() {
    List<String> uris = new ArrayList<>();
    ports.forEach(port -> uris.add("redis://127.0.0.1:" + port));
    return uris;
  }

  /** A URI of one node; the cluster client discovers the others. */
  String uri() {
    return "redis://127.0.0.1:" + ports.get(0);
  }

  private static void waitForPort(int port) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IOException("redis-server did not start on port " + port);
  }

  /** Waits until every node says {@code cluster_state:ok}, for at most 30 s. */
  void awaitOk() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (int port : ports) {
        Process info =
            new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "cluster", "info")
                .redirectErrorStream(true)
                .start();
        String out = new String(info.getInputStream().readAllBytes());
        info.waitFor(5, TimeUnit.SECONDS);
        ok &= out.contains("cluster_state:ok");
      }
      if (ok) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new IOException("the cluster did not reach cluster_state:ok; see " + dir);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
