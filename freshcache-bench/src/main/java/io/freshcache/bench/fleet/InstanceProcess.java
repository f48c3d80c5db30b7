package io.freshcache.bench.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link FleetInstance} process as the harness drives it: its commands in, its lines out. */
final class InstanceProcess implements AutoCloseable {

  final int instance;
  final String role;
  final int generation;
  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  InstanceProcess(int instance, String role, int generation, List<String> args, Path log)
      throws IOException {
    this.instance = instance;
    this.role = role;
    this.generation = generation;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(FleetInstance.class.getName());
    command.addAll(args);
    command.add("--generation");
    command.add(Integer.toString(generation));
    this.process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    this.in = process.getOutputStream();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException ended) {
                // the process went
              }
            },
            "instance-" + instance + "-out");
    pump.setDaemon(true);
    pump.start();
  }

  long pid() {
    return process.pid();
  }

  void send(String command) throws IOException {
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The next line starting with {@code prefix} (others skipped), waiting at most {@code secs}. */
  String await(String prefix, long secs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IllegalStateException(
            role
                + " "
                + instance
                + " printed no "
                + prefix
                + " within "
                + secs
                + " s (alive: "
                + process.isAlive()
                + ")");
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
  }

  /** SIGKILL, not waiting: for a shutdown hook. */
  void destroy() {
    process.destroyForcibly();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
