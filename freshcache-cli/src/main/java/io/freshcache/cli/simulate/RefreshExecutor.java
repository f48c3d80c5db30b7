package io.freshcache.cli.simulate;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The executor a simulated cache runs its background loads on: a real thread of its own, with each
 * task held back until the simulated reader calls {@link #runHeld()} between two operations, and
 * the held tasks then run one at a time, in the order they were handed in.
 *
 * <p>Why hold tasks: the reader moves virtual time by a millisecond per operation in about a
 * microsecond of real time, so a background load left to race it would see tens of virtual
 * milliseconds pass, a different number on every run and every machine. Why one at a time: two
 * loads side by side would each read the clock, move it by the source latency and read it again in
 * an order the scheduler picks, and so record different load times and expiries from run to run.
 * Held and in order, each load takes exactly the source latency of virtual time and runs repeat,
 * while the loads still run on another thread than the reader, as in production.
 */
final class RefreshExecutor implements Executor, AutoCloseable {

  private final ExecutorService thread;
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();

  /**
   * @param name the name of its thread
   */
  RefreshExecutor(String name) {
    this.thread =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, name);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Holds {@code task} until the next {@link #runHeld()}. Thread-safe. */
  @Override
  public void execute(Runnable task) {
    held.add(Objects.requireNonNull(task, "task must not be null"));
  }

  /**
   * Runs the held tasks, one after another, and returns once they, and any task they hand in
   * meanwhile (which runs after those handed in before it), are done. Call from the reader's thread
   * only.
   *
   * @throws IllegalStateException if a task threw, or the wait was interrupted
   */
  void runHeld() {
    for (Runnable task = held.poll(); task != null; task = held.poll()) {
      try {
        thread.submit(task).get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a background load threw", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for background loads", e);
      }
    }
  }

  /** Drops the tasks still held and stops the thread. */
  @Override
  public void close() {
    held.clear();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
