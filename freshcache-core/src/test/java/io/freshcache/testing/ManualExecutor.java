package io.freshcache.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * An executor that only queues tasks; the test runs them when it chooses, on its own thread. Makes
 * "a background refresh is running while readers read" a deterministic state.
 */
public final class ManualExecutor implements Executor {

  private final Deque<Runnable> queue = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    queue.add(task);
  }

  /** Tasks queued and not yet run. */
  public synchronized int queued() {
    return queue.size();
  }

  /** Runs the oldest queued task; fails if there is none. */
  public void runNext() {
    Runnable task;
    synchronized (this) {
      task = queue.poll();
    }
    if (task == null) {
      throw new IllegalStateException("no task queued");
    }
    task.run();
  }

  /** Runs queued tasks, including ones they queue, until none is left; returns how many ran. */
  public int runAll() {
    int ran = 0;
    while (queued() > 0) {
      runNext();
      ran++;
    }
    return ran;
  }
}
