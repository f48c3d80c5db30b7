package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.spi.InvalidationBus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The namespace is given once, and close() releases what the group owns, not what it was lent. */
class GroupOwnershipTest {

  /** A bus of one namespace, as a Redis bus is; counts its closes. */
  private static final class NamedBus implements InvalidationBus {
    final String namespace;
    final InProcessBus delegate = new InProcessBus();
    int closes;

    NamedBus(String namespace) {
      this.namespace = namespace;
    }

    @Override
    public String namespace() {
      return namespace;
    }

    @Override
    public CompletableFuture<Void> publish(String eventType, String message) {
      return delegate.publish(eventType, message);
    }

    @Override
    public Subscription subscribe(Receiver receiver) {
      return delegate.subscribe(receiver);
    }

    @Override
    public void close() {
      closes++;
      delegate.close();
    }
  }

  @Test
  void aGroupOpensItsBusForItsOwnNameAndClosesIt() {
    List<NamedBus> opened = new ArrayList<>();
    CacheGroup group =
        CacheGroup.builder("shop")
            .bus(
                namespace -> {
                  NamedBus bus = new NamedBus(namespace);
                  opened.add(bus);
                  return bus;
                })
            .build();

    assertThat(opened)
        .singleElement()
        .satisfies(bus -> assertThat(bus.namespace).isEqualTo("shop"));
    group.close();
    group.close();

    assertThat(opened.get(0).closes).isEqualTo(1);
  }

  @Test
  void aBusHandedBuiltStaysOpenForItsOwner() {
    NamedBus bus = new NamedBus("shop");
    CacheGroup group = CacheGroup.builder("shop").bus(bus).build();

    group.close();

    assertThat(bus.closes).isZero();
    assertThat(bus.publish("freshcache.invalidate", "{}")).isCompleted();
  }

  @Test
  void aBusOfAnotherNamespaceIsRefusedWithTheFix() {
    NamedBus bus = new NamedBus("shop-eu");

    assertThatThrownBy(() -> CacheGroup.builder("shop").bus(bus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "group 'shop': the bus was built for namespace 'shop-eu', but a group and its bus must"
                + " agree; hand the group the bus's builder instead (it opens one for the group's"
                + " name), or build it for 'shop'");
  }

  @Test
  void anOpenerThatOpensAnotherNamespaceIsRefusedAndClosed() {
    NamedBus wrong = new NamedBus("other");
    CacheGroupBuilder builder = CacheGroup.builder("shop").bus(namespace -> wrong);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("built for namespace 'other'");
    assertThat(wrong.closes).isEqualTo(1);
  }

  @Test
  void aBuildThatFailsClosesWhatItOpened() {
    NamedBus bus = new NamedBus("shop");
    CacheGroupBuilder builder =
        CacheGroup.builder("shop")
            .bus(namespace -> bus)
            .shared(
                namespace -> {
                  throw new IllegalStateException("Redis refused the connection");
                });

    assertThatThrownBy(builder::build).hasMessage("Redis refused the connection");
    assertThat(bus.closes).isEqualTo(1);
  }

  @Test
  void theBusIsSetOnce() {
    CacheGroupBuilder builder =
        CacheGroup.builder("shop").bus(namespace -> new NamedBus(namespace));

    assertThatThrownBy(() -> builder.bus(new NamedBus("shop")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("bus was already set to ");
  }
}
