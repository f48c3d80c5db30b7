package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.freshcache.testing.PartitionableBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox marker: on disk, locked, while the group lives; it says {@code O} while invalidations
 * are unconfirmed (in flight or waiting in the outbox) and {@code C} once they got there; it goes
 * when the group closes with nothing owed; and a marker that a process that is gone left saying
 * {@code O} makes the fleet clear the group's caches.
 */
class OutboxMarkerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path markers;

  private final PartitionableBus bus = new PartitionableBus();

  private List<Path> markerFiles() throws IOException {
    try (Stream<Path> files = Files.list(markers)) {
      return files.toList();
    }
  }

  /** A group of the shop that starts with the marker directory, as a restarted service would. */
  private CacheGroup restarted() {
    return CacheGroup.builder("shop")
        .bus(bus.link())
        .instanceId("restarted")
        .outboxMarkers(markers)
        .build();
  }

  /** The markers that say their process owes Redis invalidations, by file name. */
  private List<String> owing() throws IOException {
    List<String> owing = new java.util.ArrayList<>();
    for (Path file : markerFiles()) {
      if (OutboxMarker.owed(file)) {
        owing.add(file.getFileName().toString());
      }
    }
    return owing;
  }

  @Test
  void aMarkerExistsWhileInvalidationsWaitAndGoesWhenTheyGotThrough() throws IOException {
    PartitionableBus.Link link = bus.link();
    try (CacheGroup group =
        CacheGroup.builder("shop").bus(link).instanceId("a").outboxMarkers(markers).build()) {
      group.invalidateKeys("k");
      assertThat(markerFiles()) // the group's own marker, from its start
          .extracting(p -> p.getFileName().toString())
          .containsExactly("freshcache-shop-a.pending");
      assertThat(owing()).isEmpty(); // nothing waits

      link.cut();
      group.invalidateKeys("k");
      assertThat(owing()).containsExactly("freshcache-shop-a.pending");

      link.heal();
      await().atMost(WAIT).until(() -> owing().isEmpty());
    }
    assertThat(markerFiles()).isEmpty(); // closed with nothing owed: gone
  }

  @Test
  void aMarkerSaysOwingWhileAnEventSentStraightToTheBusIsUnconfirmed() throws IOException {
    PartitionableBus.Link link = bus.link();
    try (CacheGroup group =
        CacheGroup.builder("shop").bus(link).instanceId("a").outboxMarkers(markers).build()) {
      link.hold(); // the bus takes the event and does not answer yet
      group.invalidateKeys("k");
      assertThat(group.stats().outboxDepth()).isZero(); // nothing waits in the outbox...
      assertThat(group.stats().inFlight()).isEqualTo(1); // ...it is in flight...
      assertThat(owing()).containsExactly("freshcache-shop-a.pending"); // ...and a crash loses it

      link.release();
      await().atMost(WAIT).until(() -> owing().isEmpty());
      assertThat(group.stats().inFlight()).isZero();
    }
  }

  @Test
  void aMarkerLeftByAProcessThatIsGoneMakesEveryInstanceClearTheGroup() throws IOException {
    // What a killed process leaves: the file, and no lock on it (its locks died with it).
    Files.writeString(markers.resolve("freshcache-shop-dead.pending"), "group shop, pid 1\n");
    try (CacheGroup reader = CacheGroup.builder("shop").bus(bus.link()).instanceId("r").build()) {
      FreshCache<String, String> users =
          reader.cache("users", String.class, String.class).source(k -> "v").build();
      users.get("never-invalidated-by-anyone-alive");

      try (CacheGroup restarted = restarted()) {
        await()
            .atMost(WAIT)
            .until(() -> users.getIfPresent("never-invalidated-by-anyone-alive") == null);
        await() // the orphan is gone; the restarted group's own marker owes nothing
            .atMost(WAIT)
            .until(
                () ->
                    markerFiles().stream()
                        .map(p -> p.getFileName().toString())
                        .toList()
                        .equals(List.of("freshcache-shop-restarted.pending")));
        await().atMost(WAIT).until(() -> owing().isEmpty());
      }
    }
  }

  @Test
  void aLiveInstancesMarkerIsNotMistakenForAnOrphan() throws IOException {
    PartitionableBus.Link link = bus.link();
    try (CacheGroup alive =
            CacheGroup.builder("shop")
                .bus(link)
                .instanceId("alive")
                .outboxMarkers(markers)
                .build();
        CacheGroup reader = CacheGroup.builder("shop").bus(bus.link()).instanceId("r").build()) {
      FreshCache<String, String> users =
          reader.cache("users", String.class, String.class).source(k -> "v").build();
      users.get("x");
      link.cut();
      alive.invalidateKeys("k"); // alive's marker is on disk, locked
      try (CacheGroup other =
          CacheGroup.builder("shop")
              .bus(bus.link())
              .instanceId("other")
              .outboxMarkers(markers)
              .build()) {
        assertThat(other.stats().outboxDepth()).isZero(); // found nothing to clear
        assertThat(users.getIfPresent("x")).isEqualTo("v");
      }
      link.heal();
    }
  }

  @Test
  void closingWithInvalidationsUndeliveredLeavesTheMarkerForTheNextStart() throws IOException {
    PartitionableBus.Link link = bus.link();
    CacheGroup group =
        CacheGroup.builder("shop").bus(link).instanceId("a").outboxMarkers(markers).build();
    link.cut();
    group.invalidateKeys("k");
    group.close();
    assertThat(owing()).containsExactly("freshcache-shop-a.pending");
  }

  @Test
  void aMarkerLeftByAProcessThatOwedNothingIsDeletedAndClearsNothing() throws IOException {
    Files.writeString(markers.resolve("freshcache-shop-dead.pending"), "C group shop, pid 1\n");
    try (CacheGroup reader = CacheGroup.builder("shop").bus(bus.link()).instanceId("r").build()) {
      FreshCache<String, String> users =
          reader.cache("users", String.class, String.class).source(k -> "v").build();
      users.get("x");
      try (CacheGroup restarted = restarted()) {
        assertThat(restarted.stats().outboxDepth()).isZero(); // found nothing to clear
        assertThat(users.getIfPresent("x")).isEqualTo("v");
        assertThat(markerFiles())
            .extracting(p -> p.getFileName().toString())
            .containsExactly("freshcache-shop-restarted.pending");
      }
    }
  }

  @Test
  void aSecondGroupWithTheSameInstanceIdKeepsNoMarkerAndLeavesTheFirstOnesAlone()
      throws IOException {
    PartitionableBus.Link link = bus.link();
    try (CacheGroup first =
        CacheGroup.builder("shop").bus(link).instanceId("a").outboxMarkers(markers).build()) {
      CacheGroup.builder("shop")
          .bus(bus.link())
          .instanceId("a")
          .outboxMarkers(markers)
          .build()
          .close(); // warned, kept no marker, and deleted nothing on close

      link.cut();
      first.invalidateKeys("k");
      assertThat(owing()).containsExactly("freshcache-shop-a.pending"); // still there, and locked
      try (CacheGroup other = restarted()) {
        assertThat(other.stats().outboxDepth()).isZero(); // not taken for an orphan
      }
      link.heal();
    }
  }
}
