package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.InProcessBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The slot's retained WAL is read, exposed as a gauge, and warned about past the threshold. */
class CdcRetainedWalIT {

  @Test
  void retainedWalIsAGaugeAndPastTheThresholdAWarning() {
    String url = PrivatePostgres.shared().newDatabase("wal");
    Sql.run(
        url,
        "create table items (id int primary key, v int not null)",
        "insert into items values (1, 0)");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong warned = new AtomicLong();
    try (PgChangeCapture capture =
        PgChangeCapture.builder("wal", url)
            .slot("wal_gauge")
            .bus(new InProcessBus())
            .map(TableMapping.table("items").key("item:{id}"))
            .metrics(registry)
            .warnRetainedWal(1)
            .walCheckInterval(Duration.ofMillis(100))
            .lease(Duration.ofMillis(800))
            .listener(
                new CaptureListener() {
                  @Override
                  public void onRetainedWal(long bytes) {
                    warned.set(bytes);
                  }
                })
            .start()) {
      await().atMost(Duration.ofSeconds(20)).until(capture::isLeader);
      Sql.run(url, "update items set v = v + 1");
      await().atMost(Duration.ofSeconds(10)).until(() -> warned.get() > 0);
      assertThat(
              registry.get("freshcache.cdc.retained.wal").tag("slot", "wal_gauge").gauge().value())
          .isPositive();
      assertThat(registry.get("freshcache.cdc.leader").gauge().value()).isEqualTo(1.0);
      assertThat(capture.retainedWalBytes()).isPositive();
    }
    assertThat(registry.getMeters()).as("close removes the meters").isEmpty();
  }
}
