package io.freshcache.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor a simulated cache runs its background loads on: a small pool of real threads, with
 * each task held back until the simulated reader calls {@link #runHeld()} between two operations.
 *
 * <p>Why hold tasks: the reader moves virtual time by a millisecond per operation in about a
 * microsecond of real time, so a background load left to race it would see tens of virtual
 * milliseconds pass, a different number on every run and every machine. Running held loads between
 * operations makes each one take exactly the source latency of virtual time and makes runs repeat,
 * while the loads still run on another thread than the reader, as in production.
 */
final class RefreshExecutor implements Executor, AutoCloseable {

  private final ExecutorService pool;
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();

  /**
   * @param threads the pool's size, at least 1
   * @param name the prefix of the threads' names
   */
  RefreshExecutor(int threads, String name) {
    AtomicInteger count = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
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
   * Runs the held tasks on the pool and returns once they, and any task they hand in meanwhile, are
   * done. Call from the reader's thread only.
   *
   * @throws IllegalStateException if a task threw, or the wait was interrupted
   */
  void runHeld() {
    List<Future<?>> running = new ArrayList<>();
    while (!held.isEmpty()) {
      for (Runnable task = held.poll(); task != null; task = held.poll()) {
        running.add(pool.submit(task));
      }
      for (Future<?> future : running) {
        try {
          future.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a background load threw", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for background loads", e);
        }
      }
      running.clear();
    }
  }

  /** Drops the tasks still held and stops the pool's threads. */
  @Override
  public void close() {
    held.clear();
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
