package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A slot dropped under a running capture is a loss: reported (log, listener, count) and handled by
 * clearing what the mapping covers on every instance, so a change committed while no slot existed
 * leaves nothing stale.
 */
class CdcLossIT {

  @Test
  void aDroppedSlotIsReportedAsALossAndClearsWhatTheMappingCovers() {
    String url = PrivatePostgres.shared().newDatabase("loss");
    Sql.run(
        url,
        "create table products (id bigint primary key, name text not null, category_id int)",
        "alter table products replica identity full",
        "insert into products select g, 'p' || g, 1 from generate_series(1, 10) g");
    List<String> losses = new CopyOnWriteArrayList<>();
    try (Fleet fleet = new Fleet(url, 3);
        PgChangeCapture capture =
            fleet
                .capture(url)
                .map(TableMapping.table("products").key("product:{id}"))
                .takeoverInterval(Duration.ofMillis(100))
                .listener(
                    new CaptureListener() {
                      @Override
                      public void onLoss(String reason) {
                        losses.add(reason);
                      }
                    })
                .start()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> capture.losses() == 1 && fleet.allApplied(1));
      assertThat(losses.get(0)).contains("did not exist");
      fleet.products.forEach(p -> assertThat(p.get(1L).name()).isEqualTo("p1"));
      fleet.products.forEach(p -> p.get(2L));

      // An operator drops the slot (ending its consumer's session first, as PostgreSQL requires),
      // and a change is committed while no slot exists: nothing will ever stream it.
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () -> {
                Sql.run(
                    url,
                    "select pg_terminate_backend(active_pid) from pg_replication_slots where"
                        + " slot_name = '"
                        + capture.slot()
                        + "' and active_pid is not null",
                    "select pg_drop_replication_slot('" + capture.slot() + "')");
                return true;
              });
      Sql.run(url, "update products set name = 'unseen' where id = 1");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> capture.losses() == 2 && fleet.allApplied(2));
      assertThat(losses.get(1)).contains("did not exist");
      for (FreshCache<Long, Fleet.Product> products : fleet.products) {
        await().atMost(Duration.ofSeconds(5)).until(() -> products.getIfPresent(1L) == null);
        assertThat(products.getIfPresent(2L))
            .as("the cover product:* clears every product")
            .isNull();
        assertThat(products.get(1L).name()).isEqualTo("unseen");
      }
      // and the new slot streams on
      Sql.run(url, "update products set name = 'after' where id = 3");
      fleet.products.forEach(p -> p.get(3L));
      Sql.run(url, "update products set name = 'again' where id = 3");
      for (FreshCache<Long, Fleet.Product> products : fleet.products) {
        await().atMost(Duration.ofSeconds(5)).until(() -> products.getIfPresent(3L) == null);
      }
    }
  }
}
