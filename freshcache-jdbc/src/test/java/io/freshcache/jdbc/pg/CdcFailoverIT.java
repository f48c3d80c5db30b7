package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances run a capture for one slot, each in its own process: one consumes, the other waits;
 * the consumer is killed (SIGKILL) and the other takes over, and a change committed right after the
 * kill reaches the bus within a bounded time.
 */
class CdcFailoverIT {

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
  void whenTheConsumerDiesTheStandbyTakesOverWithinTheTakeoverBound() throws Exception {
    String url = PrivatePostgres.shared().newDatabase("failover");
    Sql.run(
        url,
        "create table items (id int primary key, v int not null)",
        "insert into items select g, 0 from generate_series(1, 10) g");
    namespace = "cdc-failover-" + Long.toString(System.nanoTime(), 36);
    String slot = "failover_" + Long.toString(System.nanoTime(), 36);
    witness = new Witness(namespace);
    Path logA = Files.createTempFile("capture-a-", ".log");
    Path logB = Files.createTempFile("capture-b-", ".log");
    Process a = CaptureProcess.start(logA, url, namespace, slot, "0");
    processes.add(a);
    await().atMost(Duration.ofSeconds(30)).until(() -> witness.losses.get() == 1);
    Process b = CaptureProcess.start(logB, url, namespace, slot, "0");
    processes.add(b);
    await().atMost(Duration.ofSeconds(30)).until(() -> lines(logB, "STARTED") == 1);

    // While A lives, B only waits: one consumer per slot, one advisory lock granted.
    long first = update(url);
    await().atMost(Duration.ofSeconds(10)).until(() -> witness.seen.containsKey(first));
    assertThat(lines(logA, "LEADER")).isEqualTo(1);
    assertThat(lines(logB, "LEADER")).isZero();
    assertThat(
            Sql.number(
                url, "select count(*) from pg_locks where locktype = 'advisory' and granted"))
        .isEqualTo(1);
    assertThat(
            Sql.number(
                url,
                "select count(*) from pg_stat_activity where application_name = 'freshcache-cdc'"
                    + " and backend_type = 'client backend'"))
        .as("A's lock session and B's, which keeps trying")
        .isEqualTo(2);

    System.out.println("killing the consumer at " + java.time.LocalTime.now());
    long killedAt = System.nanoTime();
    a.destroyForcibly().waitFor();
    long afterKill = update(url);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> witness.seen.containsKey(afterKill));
    long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.printf(
        "failover: a change committed right after the consumer was killed reached the bus %d ms"
            + " after the kill (takeover interval 200 ms)%n",
        failoverMillis);
    assertThat(lines(logB, "LEADER")).isEqualTo(1);
    assertThat(failoverMillis).isLessThan(3_000);
  }

  @Test
  void whenTheConsumerFreezesTheStandbyTakesOverAfterTheLease() throws Exception {
    String url = PrivatePostgres.shared().newDatabase("freeze");
    Sql.run(
        url,
        "create table items (id int primary key, v int not null)",
        "insert into items select g, 0 from generate_series(1, 10) g");
    namespace = "cdc-freeze-" + Long.toString(System.nanoTime(), 36);
    String slot = "freeze_" + Long.toString(System.nanoTime(), 36);
    witness = new Witness(namespace);
    Path logA = Files.createTempFile("capture-a-", ".log");
    Path logB = Files.createTempFile("capture-b-", ".log");
    Process a = CaptureProcess.start(logA, url, namespace, slot, "0");
    processes.add(a);
    await().atMost(Duration.ofSeconds(30)).until(() -> witness.losses.get() == 1);
    Process b = CaptureProcess.start(logB, url, namespace, slot, "0");
    processes.add(b);
    await().atMost(Duration.ofSeconds(30)).until(() -> lines(logB, "STARTED") == 1);
    long first = update(url);
    await().atMost(Duration.ofSeconds(10)).until(() -> witness.seen.containsKey(first));

    // SIGSTOP: the consumer's sockets stay open and its sessions look alive to the server; only
    // the lease (2 s: the lock session's idle_session_timeout) frees the slot.
    long frozenAt = System.nanoTime();
    signal(a, "STOP");
    try {
      long afterFreeze = update(url);
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> witness.seen.containsKey(afterFreeze));
      long takeoverMillis = (System.nanoTime() - frozenAt) / 1_000_000;
      System.out.printf(
          "failover: a change committed after the consumer froze reached the bus %d ms after the"
              + " freeze (lease 2 s, takeover interval 200 ms)%n",
          takeoverMillis);
      assertThat(lines(logB, "LEADER")).isEqualTo(1);
      assertThat(takeoverMillis).isLessThan(6_000);
    } finally {
      signal(a, "CONT");
    }
    // The old consumer wakes up, finds its lease gone and stands by: still one consumer.
    long afterWake = update(url);
    await().atMost(Duration.ofSeconds(10)).until(() -> witness.seen.containsKey(afterWake));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(logA).contains("is no longer the slot's consumer"));
    assertThat(
            Sql.number(
                url, "select count(*) from pg_locks where locktype = 'advisory' and granted"))
        .isEqualTo(1);
  }

  private static void signal(Process p, String signal) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
  }

  private static long update(String url) {
    return Sql.number(
        url, "update items set v = v + 1 where id = 1 returning txid_current() % 4294967296");
  }

  private static long lines(Path log, String line) throws java.io.IOException {
    return Files.readString(log).lines().filter(line::equals).count();
  }
}
