package io.freshcache.kafka;

import io.freshcache.spi.InvalidationBus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A rough measurement, not a test: propagation from one publisher to three instances on Kafka (a
 * single-node broker of its own, started from the test classpath, unless bootstrap servers are
 * given), each a bus of its own, in one JVM on this machine (so the figures include no network, and
 * share the cores with the broker). Prints the publish-to-delivery p50/p99 of events sent one at a
 * time, then the events per second a burst reaches all three at. Run with the module's test
 * classpath: {@code java -cp ... io.freshcache.rabbitmq.KafkaPropagation [bootstrap-servers]}.
 */
public final class KafkaPropagation {

  private static final int INSTANCES = 3;
  private static final int PACED = 2_000;
  private static final int BURST = 10_000;

  private KafkaPropagation() {}

  public static void main(String[] args) throws Exception {

    String namespace = "propagation-" + Long.toString(System.nanoTime(), 36);
    KafkaBroker broker = args.length > 0 ? null : KafkaBroker.start();
    String servers = args.length > 0 ? args[0] : broker.bootstrap();
    KafkaBusBuilder builder = KafkaBus.builder(servers).topicPrefix(KafkaTestSupport.PREFIX);
    List<KafkaBus> buses = new ArrayList<>();
    try {
      KafkaBus publisher = builder.open(namespace);
      buses.add(publisher);
      long[][] arrivals = new long[INSTANCES][PACED + BURST];
      CountDownLatch all = new CountDownLatch(INSTANCES * (PACED + BURST));
      for (int i = 0; i < INSTANCES; i++) {
        KafkaBus bus = builder.open(namespace);
        buses.add(bus);
        long[] mine = arrivals[i];
        bus.subscribe(
            new InvalidationBus.Receiver() {
              @Override
              public void onMessage(String message) {
                int n = Integer.parseInt(message.substring(0, message.indexOf(':')));
                mine[n] = System.nanoTime();
                all.countDown();
              }
            });
      }
      String padding =
          ":"
              + "{\"type\":\"user.updated\",\"payload\":{\"type\":\"delete\",\"keys\":[\"user:1\"]}}";
      long[] sent = new long[PACED + BURST];
      for (int n = 0; n < PACED; n++) {
        sent[n] = System.nanoTime();
        publisher.publish("user.updated", n + padding).get(5, TimeUnit.SECONDS);
      }
      long burstStart = System.nanoTime();
      List<CompletableFuture<Void>> published = new ArrayList<>();
      for (int n = PACED; n < PACED + BURST; n++) {
        sent[n] = System.nanoTime();
        published.add(publisher.publish("user.updated", n + padding));
      }
      CompletableFuture.allOf(published.toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
      if (!all.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not every event arrived: " + all.getCount() + " missing");
      }
      long burstEnd = 0;
      for (long[] mine : arrivals) {
        for (int n = PACED; n < PACED + BURST; n++) {
          burstEnd = Math.max(burstEnd, mine[n]);
        }
      }
      long[] lags = new long[INSTANCES * PACED];
      for (int i = 0; i < INSTANCES; i++) {
        for (int n = 0; n < PACED; n++) {
          lags[i * PACED + n] = arrivals[i][n] - sent[n];
        }
      }
      Arrays.sort(lags);
      System.out.printf(
          "Kafka, 1 publisher -> %d instances: p50 %.0f us, p99 %.0f us (%d events one at a"
              + " time); burst of %d: %.0f events/s reached all %d%n",
          INSTANCES,
          lags[lags.length / 2] / 1e3,
          lags[(int) (lags.length * 0.99)] / 1e3,
          PACED,
          BURST,
          BURST / ((burstEnd - burstStart) / 1e9),
          INSTANCES);
    } finally {
      buses.forEach(KafkaBus::close);
      if (broker != null) {
        broker.close();
      }
    }
  }
}
