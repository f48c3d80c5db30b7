package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshExecutorTest {

  @Test
  void holdsTasksUntilRunHeldThenRunsThemOnItsThreadAndWaits() {
    List<String> threads = new CopyOnWriteArrayList<>();
    try (RefreshExecutor executor = new RefreshExecutor("test-refresh")) {
      executor.execute(() -> threads.add(Thread.currentThread().getName()));
      executor.execute(() -> threads.add(Thread.currentThread().getName()));
      assertThat(threads).isEmpty();

      executor.runHeld();

      assertThat(threads)
          .hasSize(2)
          .allSatisfy(name -> assertThat(name).startsWith("test-refresh"));
    }
  }

  /**
   * Two held reloads running side by side would read and move the virtual clock in an order the
   * scheduler picks; one at a time, in order, each sees the same times on every run.
   */
  @Test
  void runsHeldTasksOneAtATimeInTheOrderTheyWereHandedIn() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (RefreshExecutor executor = new RefreshExecutor("test-refresh")) {
      for (String task : List.of("a", "b", "c")) {
        executor.execute(
            () -> {
              events.add("start " + task);
              try {
                Thread.sleep(20); // long enough for a second thread to start the next task
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              events.add("end " + task);
            });
      }

      executor.runHeld();

      assertThat(events)
          .containsExactly("start a", "end a", "start b", "end b", "start c", "end c");
    }
  }

  @Test
  void runsTasksThatTasksHandIn() {
    AtomicInteger runs = new AtomicInteger();
    try (RefreshExecutor executor = new RefreshExecutor("test-refresh")) {
      executor.execute(
          () -> {
            runs.incrementAndGet();
            executor.execute(runs::incrementAndGet);
          });

      executor.runHeld();

      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void aTaskThatThrowsFailsRunHeld() {
    try (RefreshExecutor executor = new RefreshExecutor("test-refresh")) {
      executor.execute(
          () -> {
            throw new IllegalStateException("boom");
          });

      assertThatThrownBy(executor::runHeld)
          .isInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("boom");
    }
  }

  @Test
  void closeDropsHeldTasks() {
    AtomicInteger runs = new AtomicInteger();
    RefreshExecutor executor = new RefreshExecutor("test-refresh");
    executor.execute(runs::incrementAndGet);

    executor.close();
    executor.runHeld();

    assertThat(runs).hasValue(0);
  }
}
