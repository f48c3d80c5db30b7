package io.freshcache.cli.simulate;

import io.freshcache.cli.RedisAddress;
import io.freshcache.redis.RedisBus;
import io.freshcache.spi.InvalidationBus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs the instances of {@code freshcache simulate --redis}: each instance gets a {@link RedisBus}
 * of its own, with its own connections, as N processes would, in a namespace of its own per run
 * ({@code simulate-<run>-<random>}) and under the key prefix {@link #KEY_PREFIX}. Closing a run's
 * buses flushes their publishes and deletes their stream.
 *
 * <p>Connects once when built, to fail before anything runs if Redis cannot be reached, and keeps
 * that connection to delete streams. Not thread-safe: one run at a time.
 */
final class RedisTransport implements Transport, AutoCloseable {

  /** The prefix of every key the simulator's buses write, so that leftovers are easy to find. */
  static final String KEY_PREFIX = "fcsim";

  /** How long connecting, and each command, may take. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final RedisAddress address;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  /**
   * Connects to {@code address} and checks that Redis answers.
   *
   * @throws RuntimeException if it cannot be reached or refuses us: {@link
   *     RedisAddress#unreachable} says why in one line
   */
  RedisTransport(RedisAddress address) {
    this.address = address;
    this.client =
        RedisClient.create(RedisURI.builder(address.parsed()).withTimeout(TIMEOUT).build());
    try {
      this.connection = client.connect();
      connection.sync().ping();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, TIMEOUT);
      throw e;
    }
  }

  @Override
  public String redis() {
    return address.hostAndPort();
  }

  @Override
  public Buses connect(String run, int instances) {
    String namespace = "simulate-" + run + "-" + UUID.randomUUID().toString().substring(0, 8);
    List<RedisBus> buses = new ArrayList<>();
    RedisBuses connected = new RedisBuses(namespace, buses);
    try {
      for (int i = 1; i <= instances; i++) {
        buses.add(
            RedisBus.builder(address.uri(), namespace)
                .keyPrefix(KEY_PREFIX)
                .clientName(KEY_PREFIX + "-" + namespace + "-" + i)
                .failFast(true) // a simulation needs Redis now: say so rather than wait
                .build());
      }
    } catch (RuntimeException e) {
      connected.close();
      throw e;
    }
    return connected;
  }

  /** Disconnects. */
  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, TIMEOUT);
  }

  /** One run's buses. */
  private final class RedisBuses implements Buses {
    private final String namespace;
    private final List<RedisBus> buses;

    RedisBuses(String namespace, List<RedisBus> buses) {
      this.namespace = namespace;
      this.buses = buses;
    }

    @Override
    public String namespace() {
      return namespace;
    }

    @Override
    public InvalidationBus bus(int instance) {
      return buses.get(instance);
    }

    /** Closes every bus (each flushes first), then deletes the stream they all wrote. */
    @Override
    public void close() {
      RuntimeException failure = null;
      for (RedisBus bus : buses) {
        try {
          bus.close();
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (!buses.isEmpty()) {
        // Every bus of the run has the same namespace and prefix, so the same stream and count.
        connection.sync().del(buses.get(0).streamKey(), buses.get(0).sequenceKey());
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
