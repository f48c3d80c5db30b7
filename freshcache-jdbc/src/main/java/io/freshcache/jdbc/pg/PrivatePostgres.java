package io.freshcache.jdbc.pg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of this process's own, from the installed server binaries, for
 * tests and demonstrations ({@code freshcache simulate --scenarios cdc}), never for data that
 * matters: a temporary data directory, a free port on loopback, trust authentication, {@code
 * wal_level = logical}, no fsync; stopped and deleted when closed or when the JVM exits. No other
 * server's configuration is touched. As root, the server's tools run as the {@code postgres} OS
 * user (they refuse root).
 *
 * <p>The binaries ({@code initdb}, {@code pg_ctl}) are taken from the directory named by the system
 * property {@value #BIN_PROPERTY} if set, else from the newest {@code
 * /usr/lib/postgresql/<version>/bin}.
 */
public final class PrivatePostgres implements AutoCloseable {

  /** The system property naming the directory of {@code initdb} and {@code pg_ctl}. */
  public static final String BIN_PROPERTY = "freshcache.postgres.bin";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PrivatePostgres shared;

  final int port;
  private final Path bin;
  private final Path data;
  private final Thread hook;
  private boolean stopped;

  private PrivatePostgres(Map<String, String> settings) throws IOException, InterruptedException {
    this.bin = binaries();
    this.data = Files.createTempDirectory("freshcache-pg-");
    this.port = freePort();
    this.hook = new Thread(this::stop, "stop private postgres");
    Runtime.getRuntime().addShutdownHook(hook);
    run("chown", "postgres:postgres", data.toString());
    asPostgres(
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync");
    StringBuilder conf = new StringBuilder("\n# freshcache tests\n");
    conf.append("port = ").append(port).append('\n');
    conf.append("listen_addresses = '127.0.0.1'\n");
    conf.append("unix_socket_directories = '").append(data).append("'\n");
    conf.append("max_replication_slots = 20\nmax_wal_senders = 20\nmax_connections = 60\n");
    conf.append("fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\n");
    conf.append("wal_level = logical\n");
    settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(
        data.resolve("postgresql.conf"),
        conf,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    asPostgres(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        data.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "start");
  }

  /** The tests' shared cluster (wal_level logical), started on first use. */
  static synchronized PrivatePostgres shared() {
    if (shared == null) {
      shared = start(Map.of());
    }
    return shared;
  }

  /**
   * Starts a cluster with these {@code postgresql.conf} settings over the defaults.
   *
   * @throws IllegalStateException with one line naming what to install or set, if the binaries are
   *     missing or the cluster does not start
   */
  public static PrivatePostgres start(Map<String, String> settings) {
    try {
      return new PrivatePostgres(settings);
    } catch (IOException e) {
      throw new IllegalStateException("could not start a private PostgreSQL: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A new, empty database of this cluster, as a JDBC URL (user {@code postgres}). */
  public String newDatabase(String hint) {
    String name =
        hint.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name + ": " + e, e);
    }
    return url(name);
  }

  /** The JDBC URL of a database of this cluster, as user {@code postgres}. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database));
  }

  /** Stops the server at once and deletes its data. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      asPostgres(
          bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    } catch (RuntimeException | IOException | InterruptedException e) {
      System.err.println("private postgres: stop failed: " + e);
    }
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("private postgres: could not delete " + data + ": " + e);
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs (or ran) anyway
    }
  }

  private static Path binaries() {
    String given = System.getProperty(BIN_PROPERTY);
    if (given != null) {
      Path bin = Path.of(given);
      for (String tool : List.of("initdb", "pg_ctl")) {
        if (!Files.isExecutable(bin.resolve(tool))) {
          throw new IllegalStateException(
              "no executable "
                  + tool
                  + " in "
                  + bin
                  + " (system property "
                  + BIN_PROPERTY
                  + "): point it at the bin directory of a PostgreSQL server installation, or"
                  + " leave it unset to use /usr/lib/postgresql/<version>/bin");
        }
      }
      return bin;
    }
    Path root = Path.of("/usr/lib/postgresql");
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        versions
            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
            .forEach(found::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + root + ": " + e, e);
      }
    }
    found.sort(
        Comparator.comparingInt(
            v -> {
              try {
                return Integer.parseInt(v.getFileName().toString().split("\\.")[0]);
              } catch (NumberFormatException e) {
                return 0;
              }
            }));
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "the PostgreSQL server binaries (initdb, pg_ctl) are not installed under"
              + " /usr/lib/postgresql/<version>/bin: install them (apt-get install postgresql),"
              + " or set the system property "
              + BIN_PROPERTY
              + " to their directory");
    }
    return found.get(found.size() - 1).resolve("bin");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void asPostgres(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    if (root()) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(List.of(command));
    run(line.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    if (!root() && command[0].equals("chown")) {
      return;
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }
}
