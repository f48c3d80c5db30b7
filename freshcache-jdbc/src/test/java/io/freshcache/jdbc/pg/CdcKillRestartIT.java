package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer runs in a process of its own and is killed (SIGKILL) mid-stream, twice, while a
 * writer commits thousands of updates; a new process resumes from the slot. Every committed
 * transaction must reach the group's bus: checked against the writer's history of transaction ids.
 * The bus is slow to accept (1.2 s, longer than the capture's 1 s status interval), so at each kill
 * transactions are received but not yet accepted: a consumer that confirmed them early would lose
 * them.
 */
class CdcKillRestartIT {

  private final List<Process> processes = new ArrayList<>();
  private Witness witness;
  private String namespace;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    if (witness != null) {
      witness.close();
    }
    if (namespace != null) {
      Fleet.deleteKeys(namespace);
    }
  }

  @Test
  void aConsumerKilledMidStreamAndRestartedLosesNothing() throws Exception {
    String url = PrivatePostgres.shared().newDatabase("kill");
    Sql.run(
        url,
        "create table items (id int primary key, v int not null)",
        "insert into items select g, 0 from generate_series(1, 200) g");
    namespace = "cdc-kill-" + Long.toString(System.nanoTime(), 36);
    String slot = "kill_" + Long.toString(System.nanoTime(), 36);
    witness = new Witness(namespace);
    Path log = Files.createTempFile("capture-", ".log");
    processes.add(CaptureProcess.start(log, url, namespace, slot, "1200"));
    await().atMost(Duration.ofSeconds(30)).until(() -> witness.losses.get() == 1);

    int updates = 3_000;
    List<Long> committed = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    long started = System.nanoTime();
    java.util.concurrent.CompletableFuture<Void> writer =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try (Connection c = DriverManager.getConnection(url);
                  PreparedStatement update =
                      c.prepareStatement(
                          "update items set v = v + 1 where id = ? returning txid_current() %"
                              + " 4294967296")) {
                for (int i = 0; !stop.get(); i++) {
                  if (i % 100 == 0 && committed.size() - witness.seen.size() > 1_000) {
                    // Stay about a second ahead of the consumer, not minutes.
                    await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> committed.size() - witness.seen.size() < 500);
                  }
                  update.setInt(1, 1 + i % 200);
                  try (ResultSet rs = update.executeQuery()) {
                    rs.next();
                    committed.add(rs.getLong(1));
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    for (int kill = 1; kill <= 2; kill++) {
      // Mid-stream: this consumer streams (it delivered a hundred transactions more than its
      // predecessor did) and the writer keeps committing, so transactions of the last 1.2 s wait in
      // its
      // slow bus, received but not accepted, when it is killed.
      int leaders = kill;
      int seenFrom = witness.seen.size();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> leaderLines(log) == leaders && witness.seen.size() > seenFrom + 100);
      Process consumer = processes.get(processes.size() - 1);
      consumer.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye
      processes.add(CaptureProcess.start(log, url, namespace, slot, "1200"));
    }
    // The last consumer, too, takes over a flowing stream, until at least `updates` are written.
    int atLastKill = committed.size();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> committed.size() >= Math.max(updates, atLastKill + 500));
    stop.set(true);
    writer.get(60, java.util.concurrent.TimeUnit.SECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> witness.seen.keySet().containsAll(committed));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported below as the transactions lost
    }
    long writing = System.nanoTime() - started;
    Set<Long> lost = new LinkedHashSet<>(committed);
    lost.removeAll(witness.seen.keySet());
    long duplicates =
        committed.stream().mapToLong(x -> Math.max(0, witness.seen.getOrDefault(x, 0) - 1L)).sum();
    System.out.printf(
        "kill/restart: %d transactions committed in %d ms, %d lost, %d delivered twice or more,"
            + " %d losses announced%n",
        committed.size(), writing / 1_000_000, lost.size(), duplicates, witness.losses.get());
    assertThat(new LinkedHashSet<>(committed))
        .hasSize(committed.size())
        .hasSizeGreaterThan(updates);
    assertThat(lost).as("%d committed transactions never reached the bus", lost.size()).isEmpty();
    assertThat(witness.losses.get()).isEqualTo(1); // the first start's, none since
    assertThat(leaderLines(log)).isEqualTo(3);
  }

  private static long leaderLines(Path log) throws java.io.IOException {
    return Files.readString(log).lines().filter("LEADER"::equals).count();
  }
}
