package io.freshcache.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.freshcache.event.EventCodec;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.spi.InvalidationBus.Subscription;
import io.freshcache.test.Recorder.Loss;
import io.freshcache.test.Recorder.Message;
import io.freshcache.test.Recorder.Signal;
import io.freshcache.test.Recorder.Trust;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link InvalidationBus} contract on its own, against the SPI only: no cache, no codec, no
 * group. Each test states one promise of the interface's javadoc: publish order per publisher,
 * fan-out to every subscriber (the publisher's own included), the meaning of the future {@code
 * publish} returns, closed subscriptions, serial calls to a receiver, losses reported ahead of the
 * messages that follow them, trust deadlines that only move on, and messages up to {@link
 * EventCodec#MAX_MESSAGE_CHARS} carried unchanged.
 *
 * <p>A bus implementation subclasses this and says how a process connects ({@link #connect}); if
 * the bus can be made to lose messages, it also says how ({@link #induceLoss}). Deliveries are
 * awaited for at most {@link #timeout()}, never by sleeping, so the kit fits asynchronous buses.
 * Every message the kit publishes starts with a marker of its own test, so a bus on a shared server
 * may carry other traffic; the kit ignores it.
 */
public abstract class BusContractKit {

  /** The event type the kit publishes under. */
  protected static final String EVENT_TYPE = "kit.bus";

  private final List<InvalidationBus> connections = new ArrayList<>();
  private String namespace;
  private String marker;

  /**
   * A new connection to the bus of {@code namespace}, standing for one process: what it publishes
   * must reach every connection of that namespace, its own included, and a receiver subscribed on
   * it must get every message published after {@code subscribe} returns. Called several times per
   * test; the kit closes every connection after the test.
   */
  protected abstract InvalidationBus connect(String namespace);

  /**
   * Makes {@code bus} (one of {@link #connect}'s) lose messages in a way it can detect, and returns
   * once the loss has happened. Messages published after this returns follow the loss: the bus must
   * report it ({@link InvalidationBus.Receiver#onLoss}) before delivering any of them (it may count
   * the first of them among the lost), and deliver again once it has. Returns false, the default,
   * if the bus cannot be made to lose (or never loses): the loss test is then skipped.
   */
  protected boolean induceLoss(InvalidationBus bus) throws Exception {
    return false;
  }

  /**
   * How long the kit waits for a message to arrive, for a loss to be reported and for the bus to
   * renew its trust three times. Ten seconds unless overridden.
   */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** The namespace of the running test: one per test, so nothing carries over between tests. */
  protected final String namespace() {
    return namespace;
  }

  @BeforeEach
  void name() {
    namespace = Namespaces.next("buskit", getClass());
    marker = "kit:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
  }

  @AfterEach
  void closeConnections() {
    connections.forEach(InvalidationBus::close);
  }

  private InvalidationBus connection() {
    InvalidationBus bus = connect(namespace);
    connections.add(bus);
    return bus;
  }

  private Recorder subscribe(InvalidationBus bus) {
    Recorder recorder = new Recorder(marker);
    bus.subscribe(recorder);
    return recorder;
  }

  private String message(String text) {
    return marker + text;
  }

  private List<String> messages(String prefix, int count) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(message(prefix + i));
    }
    return list;
  }

  private <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void publishAll(InvalidationBus bus, List<String> messages) throws Exception {
    List<CompletableFuture<Void>> published = new ArrayList<>();
    for (String m : messages) {
      published.add(bus.publish(EVENT_TYPE, m));
    }
    await(CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)));
  }

  // ---------------------------------------------------------------- delivery

  @Test
  void messagesFromOnePublisherArriveInPublishOrder() throws Exception {
    InvalidationBus publisher = connection();
    Recorder own = subscribe(publisher);
    Recorder other = subscribe(connection());
    List<String> sent = messages("ordered-", 200);

    publishAll(publisher, sent);

    assertThat(other.awaitMessages(sent.size(), timeout())).containsExactlyElementsOf(sent);
    assertThat(own.awaitMessages(sent.size(), timeout())).containsExactlyElementsOf(sent);
  }

  @Test
  void everySubscriberGetsEveryMessageInEachPublishersOrder() throws Exception {
    List<InvalidationBus> buses = List.of(connection(), connection(), connection());
    List<Recorder> recorders = new ArrayList<>();
    for (InvalidationBus bus : buses) {
      recorders.add(subscribe(bus));
      recorders.add(subscribe(bus));
    }
    List<String> fromFirst = messages("first-", 20);
    List<String> fromSecond = messages("second-", 20);

    publishAll(buses.get(0), fromFirst);
    publishAll(buses.get(1), fromSecond);

    for (Recorder recorder : recorders) {
      List<String> got = recorder.awaitMessages(40, timeout());
      assertThat(got).containsExactlyInAnyOrderElementsOf(concat(fromFirst, fromSecond));
      assertThat(got.stream().filter(fromFirst::contains)).containsExactlyElementsOf(fromFirst);
      assertThat(got.stream().filter(fromSecond::contains)).containsExactlyElementsOf(fromSecond);
    }
  }

  @Test
  void aPublishedMessageReachesEverySubscriberEvenIfItsPublisherClosesAtOnce() throws Exception {
    InvalidationBus publisher = connection();
    Recorder receiver = subscribe(connection());

    CompletableFuture<Void> held = publisher.publish(EVENT_TYPE, message("held"));
    assertThat(held).succeedsWithin(timeout());
    publisher.close(); // standing for a process that dies once the bus holds its message

    assertThat(receiver.awaitMessages(1, timeout())).containsExactly(message("held"));
  }

  @Test
  void aClosedSubscriptionGetsNoMoreMessages() throws Exception {
    InvalidationBus publisher = connection();
    InvalidationBus bus = connection();
    Recorder leaving = new Recorder(marker);
    Subscription subscription = bus.subscribe(leaving);
    Recorder staying = subscribe(bus);
    publishAll(publisher, List.of(message("before")));
    leaving.awaitMessages(1, timeout());
    staying.awaitMessages(1, timeout());

    subscription.close();
    assertThatCode(subscription::close).doesNotThrowAnyException(); // idempotent
    List<String> after = messages("after-", 10);
    publishAll(publisher, after);

    // The staying receiver got every later message; had the bus still been delivering to the
    // leaving one, it would have handed it the same messages.
    assertThat(staying.awaitMessages(11, timeout())).endsWith(after.toArray(String[]::new));
    assertThat(leaving.messages()).containsExactly(message("before"));
    assertThat(leaving.signals().stream().filter(Message.class::isInstance)).hasSize(1);
  }

  @Test
  void aReceiverIsNeverCalledConcurrentlyWithItself() throws Exception {
    InvalidationBus first = connection();
    InvalidationBus second = connection();
    Recorder receiver = subscribe(connection());
    List<String> fromFirst = messages("a-", 300);
    List<String> fromSecond = messages("b-", 300);
    ExecutorService publishers = Executors.newFixedThreadPool(2);
    try {
      Future<?> a =
          publishers.submit(
              () -> {
                publishAll(first, fromFirst);
                return null;
              });
      Future<?> b =
          publishers.submit(
              () -> {
                publishAll(second, fromSecond);
                return null;
              });
      a.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
      b.get(timeout().toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      publishers.shutdownNow();
    }

    List<String> got = receiver.awaitMessages(600, timeout());
    assertThat(receiver.overlapped()).as("two calls to one receiver overlapped").isFalse();
    assertThat(got.stream().filter(fromFirst::contains)).containsExactlyElementsOf(fromFirst);
    assertThat(got.stream().filter(fromSecond::contains)).containsExactlyElementsOf(fromSecond);
  }

  @Test
  void messagesUpToTheSizeLimitPassUnchanged() throws Exception {
    InvalidationBus publisher = connection();
    Recorder receiver = subscribe(connection());
    List<String> sent =
        List.of(
            message("plain"),
            message("é ü ß 日本語 😀 \uD834\uDD1E"), // 2-, 3- and 4-byte UTF-8, surrogate pairs
            message("\"quotes\" \\backslash\\ \n\r\n\t \u0000 \u2028\u2029 \uFEFF"),
            message("{\"type\": \"user.updated\", \"payload\": {\"keys\": [\"user:1\"]}}"),
            largest());

    publishAll(publisher, sent);

    List<String> got = receiver.awaitMessages(sent.size(), timeout());
    for (int i = 0; i < sent.size(); i++) {
      assertThat(got.get(i).getBytes(StandardCharsets.UTF_8))
          .as("message %d, %d chars", i, sent.get(i).length())
          .isEqualTo(sent.get(i).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A message of exactly {@link EventCodec#MAX_MESSAGE_CHARS} chars, of every UTF-8 width. */
  private String largest() {
    String pattern = "a é 日本 😀 ";
    StringBuilder text = new StringBuilder(EventCodec.MAX_MESSAGE_CHARS).append(marker);
    while (text.length() + pattern.length() <= EventCodec.MAX_MESSAGE_CHARS) {
      text.append(pattern);
    }
    while (text.length() < EventCodec.MAX_MESSAGE_CHARS) {
      text.append('z');
    }
    return text.toString();
  }

  // ---------------------------------------------------------------- losses and trust

  @Test
  void aLossIsReportedBeforeTheMessagesThatFollowIt() throws Exception {
    InvalidationBus publisher = connection();
    InvalidationBus losing = connection();
    Recorder receiver = subscribe(losing);
    publishAll(publisher, List.of(message("before")));
    receiver.awaitMessages(1, timeout());

    assumeTrue(induceLoss(losing), "this bus cannot be made to lose messages");
    // Published after the loss but maybe before the bus notices it: the bus may count it among
    // the lost, but must not deliver it ahead of the loss.
    publishAll(publisher, List.of(message("after")));
    assertThat(receiver.awaitLoss(timeout()))
        .as("a loss reported within %s, in %s", timeout(), receiver.signals())
        .isTrue();
    publishAll(publisher, List.of(message("reported")));
    receiver.awaitMessage(message("reported"), timeout()); // delivering again after the loss

    List<Signal> signals = receiver.signals();
    int loss = indexOf(signals, Loss.class);
    int after = signals.indexOf(new Message(message("after")));
    assertThat(after < 0 || after > loss)
        .as("the loss reported before the message that follows it, in %s", signals)
        .isTrue();
  }

  @Test
  void trustDeadlinesLieAheadWhenGrantedAndNeverMoveBack() throws Exception {
    InvalidationBus publisher = connection();
    Recorder receiver = subscribe(connection());
    publishAll(publisher, List.of(message("round-trip")));
    receiver.awaitMessages(1, timeout());
    assumeTrue(
        !receiver.trusts().isEmpty(),
        "this bus did not call trustUntil (a bus that never loses messages need not)");

    assertThat(receiver.awaitGrants(3, timeout()))
        .as("a bus that bounds trust renews it: three deadlines ahead within %s", timeout())
        .isTrue();
    long previous = Long.MIN_VALUE;
    boolean first = true;
    for (Trust trust : receiver.trusts()) {
      if (!trust.grants()) {
        continue; // a deadline already past withdraws trust; the contract allows it at any time
      }
      if (!first) {
        assertThat(trust.deadline() - previous)
            .as("a granted deadline moved back, in %s", receiver.trusts())
            .isNotNegative();
      }
      previous = trust.deadline();
      first = false;
    }
  }

  // ---------------------------------------------------------------- namespace and closing

  @Test
  void aConnectionNamesTheNamespaceItCarriesOrNone() {
    assertThat(connection().namespace()).isIn(namespace, null);
  }

  @Test
  void closeIsIdempotentAndAClosedBusRefusesToPublish() {
    InvalidationBus bus = connection();
    subscribe(bus);

    bus.close();
    assertThatCode(bus::close).doesNotThrowAnyException();
    assertThatThrownBy(() -> bus.publish(EVENT_TYPE, message("late")))
        .isInstanceOf(IllegalStateException.class);
  }

  private static int indexOf(List<Signal> signals, Class<? extends Signal> kind) {
    for (int i = 0; i < signals.size(); i++) {
      if (kind.isInstance(signals.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
