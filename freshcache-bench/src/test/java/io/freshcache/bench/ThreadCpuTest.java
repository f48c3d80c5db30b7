package io.freshcache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The propagation harness's receiver CPU row rests on this attribution: a thread started while a
 * receiver was set up counts as the receivers', the thread that publishes as the publisher's, and a
 * thread no one set up as unattributed, named.
 */
class ThreadCpuTest {

  private final CountDownLatch finished = new CountDownLatch(1);
  private final CountDownLatch spun = new CountDownLatch(2);

  /** Where the spinning threads leave their work, so that it cannot be optimised away. */
  private static volatile long sink;

  @Test
  void eachThreadsCpuGoesToWhoeverWasSetUpWhenItStarted() throws Exception {
    assumeThat(ThreadCpu.supported()).as("per-thread CPU time").isTrue();
    ThreadCpu threads = new ThreadCpu();
    threads.own(ThreadCpu.PUBLISHER, Thread.currentThread());
    CountDownLatch go = new CountDownLatch(1);
    Thread receiver = threads.during(ThreadCpu.RECEIVERS, () -> started("bench-receiver", go));
    Thread stranger = started("bench-stranger", go);

    ThreadCpu.Meter meter = threads.start();
    go.countDown();
    spinFor5MsOfCpu();
    spun.await();
    ThreadCpu.Split split;
    try {
      split = meter.stop(); // the spinners still live: they wait until measured
    } finally {
      finished.countDown();
      receiver.join();
      stranger.join();
    }

    assertThat(split.of(ThreadCpu.PUBLISHER)).isGreaterThanOrEqualTo(0.005);
    assertThat(split.of(ThreadCpu.RECEIVERS)).isGreaterThanOrEqualTo(0.005);
    assertThat(split.others()).containsKey("bench-stranger");
    assertThat(split.others().keySet()).noneMatch(name -> name.startsWith("bench-receiver"));
    assertThat(split.describeOthers()).contains("bench-stranger");
  }

  private Thread started(String name, CountDownLatch go) {
    Thread t =
        new Thread(
            () -> {
              try {
                go.await();
                spinFor5MsOfCpu();
                spun.countDown();
                finished.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Burns this thread's CPU until it has used 5 ms more (its own CPU clock, not a timer). */
  private static void spinFor5MsOfCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    long until = mx.getCurrentThreadCpuTime() + 5_000_000;
    long work = 0;
    while (mx.getCurrentThreadCpuTime() < until) {
      work += System.identityHashCode(new Object());
    }
    sink = work;
  }
}
