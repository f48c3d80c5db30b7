package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class DuplicatesTest {

  @Test
  void anEventOnBothPathsIsDeliveredOnce() {
    Duplicates duplicates = new Duplicates(100);
    List<String> got = new ArrayList<>();

    assertThat(duplicates.offer("a", Duplicates.Path.CHANNEL, got::add)).isTrue();
    assertThat(duplicates.offer("a", Duplicates.Path.STREAM, got::add)).isFalse();
    assertThat(duplicates.offer("b", Duplicates.Path.STREAM, got::add)).isTrue();
    assertThat(duplicates.offer("b", Duplicates.Path.CHANNEL, got::add)).isFalse();

    assertThat(got).containsExactly("a", "b");
  }

  @Test
  void identicalTextTwiceOnOnePathIsHeardTwice() {
    Duplicates duplicates = new Duplicates(100);
    List<String> got = new ArrayList<>();

    duplicates.offer("same", Duplicates.Path.CHANNEL, got::add);
    duplicates.offer("same", Duplicates.Path.CHANNEL, got::add);
    duplicates.offer("same", Duplicates.Path.STREAM, got::add);
    duplicates.offer("same", Duplicates.Path.STREAM, got::add);

    assertThat(got).containsExactly("same", "same");
  }

  /**
   * Both paths carry the same events in the same order, racing each other on two threads, now one
   * ahead, now the other: whatever the interleaving, the receiver gets every event once, in order.
   * With the hand-over outside the decision's lock, a first copy decided on one path could be
   * handed over after later events the other path decided meanwhile; a receiver that now and then
   * takes a moment (as one applying an invalidation does) opens that window wide.
   */
  @Test
  void twoPathsRacingDeliverEveryEventOnceInOrder() throws Exception {
    int events = 10_000;
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      sent.add("e-" + i);
    }
    for (int round = 0; round < 5; round++) {
      Duplicates duplicates = new Duplicates(events);
      List<String> got = Collections.synchronizedList(new ArrayList<>());
      CyclicBarrier start = new CyclicBarrier(2);
      List<Thread> paths = new ArrayList<>();
      for (Duplicates.Path path : Duplicates.Path.values()) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (String event : sent) {
                    duplicates.offer(event, path, receiver(got));
                    if (random.nextInt(64) == 0) {
                      Thread.yield(); // lets the other path run ahead for a while
                    }
                  }
                },
                "path-" + path);
        paths.add(thread);
        thread.start();
      }
      for (Thread thread : paths) {
        thread.join();
      }
      assertThat(got).as("round %d", round).containsExactlyElementsOf(sent);
    }
  }

  /** Records what it is handed; one call in 16 first lets the other thread run. */
  private static java.util.function.Consumer<String> receiver(List<String> got) {
    return event -> {
      if (ThreadLocalRandom.current().nextInt(16) == 0) {
        Thread.yield();
      }
      got.add(event);
    };
  }
}
