package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshExecutorTest {

  @Test
  void holdsTasksUntilRunHeldThenRunsThemOnThePoolAndWaits() {
    List<String> threads = new CopyOnWriteArrayList<>();
    try (RefreshExecutor executor = new RefreshExecutor(2, "test-refresh")) {
      executor.execute(() -> threads.add(Thread.currentThread().getName()));
      executor.execute(() -> threads.add(Thread.currentThread().getName()));
      assertThat(threads).isEmpty();

      executor.runHeld();

      assertThat(threads)
          .hasSize(2)
          .allSatisfy(name -> assertThat(name).startsWith("test-refresh"));
    }
  }

  @Test
  void runsTasksThatTasksHandIn() {
    AtomicInteger runs = new AtomicInteger();
    try (RefreshExecutor executor = new RefreshExecutor(1, "test-refresh")) {
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
    try (RefreshExecutor executor = new RefreshExecutor(1, "test-refresh")) {
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
    RefreshExecutor executor = new RefreshExecutor(1, "test-refresh");
    executor.execute(runs::incrementAndGet);

    executor.close();
    executor.runHeld();

    assertThat(runs).hasValue(0);
  }
}
