package io.freshcache.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.freshcache.rabbitmq.RabbitBus;
import io.freshcache.spi.InvalidationBus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * freshcache over RabbitMQ ({@link RabbitBus}: a topic exchange per namespace, a queue per
 * instance, publisher confirms), against plain AMQP: a topic exchange of the round's own, each
 * subscriber a connection with an exclusive server-named queue bound with {@code #} and an
 * auto-acknowledging consumer, and one publisher channel in confirm mode that publishes without
 * waiting for the confirms (as the bus does), counting them.
 */
final class MeasuredRabbit implements MeasuredBus {

  /** The prefix of the exchanges of the bench's groups. */
  static final String EXCHANGE_PREFIX = "fcbench.";

  private final String uri;
  private final ConnectionFactory factory = new ConnectionFactory();

  MeasuredRabbit(String uri) {
    this.uri = uri;
    try {
      factory.setUri(uri);
    } catch (Exception e) {
      throw new IllegalArgumentException("--rabbitmq: not an AMQP URI: " + uri, e);
    }
    try (Connection probe = factory.newConnection("fcbench-probe")) {
      // reachable
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "cannot connect to RabbitMQ at " + uri + " (" + e + "); start it or pass --rabbitmq URI",
          e);
    }
  }

  @Override
  public String name() {
    return "rabbitmq";
  }

  @Override
  public String describe() {
    try (Connection connection = factory.newConnection("fcbench-describe")) {
      return "RabbitMQ " + connection.getServerProperties().get("version") + " at " + where();
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      return "RabbitMQ at " + where();
    }
  }

  private String where() {
    return factory.getHost() + ":" + factory.getPort();
  }

  @Override
  public InvalidationBus connect(String namespace, String instanceId) {
    return RabbitBus.builder(uri, namespace)
        .exchangePrefix(EXCHANGE_PREFIX)
        .connectionName("fcbench-" + instanceId)
        .publishTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public void cleanUp(InvalidationBus closed) {
    deleteExchange(((RabbitBus) closed).exchange());
  }

  private void deleteExchange(String exchange) {
    try (Connection connection = factory.newConnection("fcbench-cleanup");
        Channel channel = connection.createChannel()) {
      channel.exchangeDelete(exchange);
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      System.err.println("could not delete the exchange " + exchange + ": " + e);
    }
  }

  @Override
  public RawPeer raw(String name) throws Exception {
    return new Raw(EXCHANGE_PREFIX + name);
  }

  @Override
  public void close() {
    // every connection is the rounds'
  }

  /** Plain AMQP on an exchange of the round's own, deleted with the peer. */
  private final class Raw implements RawPeer {
    private final String exchange;
    private final Connection publisher;
    private final Channel channel;
    private final LongAdder acks = new LongAdder();
    private final LongAdder nacks = new LongAdder();
    private final LongAdder failures = new LongAdder();

    Raw(String exchange) throws Exception {
      this.exchange = exchange;
      publisher = factory.newConnection("fcbench-raw-publisher");
      channel = publisher.createChannel();
      channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, false, null);
      channel.confirmSelect();
      channel.addConfirmListener(
          (tag, multiple) -> acks.increment(), (tag, multiple) -> nacks.increment());
    }

    @Override
    public AutoCloseable subscribe(Listener listener) throws Exception {
      Connection connection = factory.newConnection("fcbench-raw-subscriber");
      try {
        Channel consuming = connection.createChannel();
        String queue = consuming.queueDeclare("", false, true, true, null).getQueue();
        consuming.queueBind(queue, exchange, "#");
        consuming.basicConsume(
            queue,
            true,
            new DefaultConsumer(consuming) {
              @Override
              public void handleDelivery(
                  String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                listener.message(new String(body, StandardCharsets.UTF_8));
              }
            });
        return connection::close;
      } catch (IOException | RuntimeException e) {
        connection.abort();
        throw e;
      }
    }

    @Override
    public void publish(String message) {
      try {
        channel.basicPublish(
            exchange, "user.updated", null, message.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        failures.increment();
      }
    }

    @Override
    public List<String> details(long expected) {
      return List.of(
          String.format(
              Locale.ROOT,
              "confirm callbacks: %d acks, %d nacks (multiple=true ones stand for several); %d"
                  + " publish failures",
              acks.sum(),
              nacks.sum(),
              failures.sum()));
    }

    @Override
    public void close() {
      try {
        publisher.close();
      } catch (IOException | RuntimeException e) {
        publisher.abort();
      }
      deleteExchange(exchange);
    }
  }
}
