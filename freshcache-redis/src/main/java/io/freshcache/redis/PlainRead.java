package io.freshcache.redis;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A lookup of one key that answers a hit without the lookup script: {@code PTTL entry}, then {@code
 * HMGET entry v ver tags}, sent one after the other on the tier's connection (one round trip). This
 * reads the {@code HMGET} reply straight off the wire, like {@link LookupReply}.
 *
 * <p>An entry with no tags is fresh for as long as it exists (the script judges it so too), so when
 * {@code HMGET} finds a value and no tags the read is a hit, with the remaining TTL {@code PTTL}
 * read just before. Anything else is not judged here and goes to the script: no entry (the script
 * takes the lease), tags (the script compares their generations), or an entry that {@code PTTL} did
 * not find (it was stored between the two: its TTL was not read).
 *
 * <p>Why not atomic is enough: {@code HMGET} reads the value, version and tags of one write
 * together. {@code PTTL} is read first, so it is the TTL of that write or of one before it; a write
 * between the two can only have shortened what remains to the one read (a store sets the full TTL
 * again), unless a {@code put} with a shorter TTL replaced it, which also publishes the key's
 * invalidation to every instance.
 */
final class PlainRead extends CommandOutput<String, byte[], PlainRead> {

  /** Unused: the reply's bytes are read here, not decoded by a codec. Lettuce wants one. */
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** The fields {@code HMGET} asks for, in the order they are read. */
  private static final byte[][] FIELDS = {{'v'}, {'v', 'e', 'r'}, {'t', 'a', 'g', 's'}};

  private int item = -1;
  private byte[] value;
  private long version;
  private boolean versioned;
  private boolean tagged;

  /** {@code PTTL}'s answer, once both commands answered. */
  private long pttl = -2;

  PlainRead() {
    super(CODEC, null);
    output = this;
  }

  /**
   * Sends {@code PTTL entry} and {@code HMGET entry v ver tags} on {@code connection} in one write
   * (one flush: Redis reads both at once and answers both at once); completes once both answered.
   */
  static CompletableFuture<PlainRead> send(
      StatefulConnection<String, byte[]> connection, byte[] entry) {
    CommandArgs<String, byte[]> fields = keyArguments(entry);
    for (byte[] field : FIELDS) {
      fields.add(field);
    }
    AsyncCommand<String, byte[], Long> pttl =
        new AsyncCommand<>(
            new Command<>(CommandType.PTTL, new IntegerOutput<>(CODEC), keyArguments(entry)));
    AsyncCommand<String, byte[], PlainRead> hmget =
        new AsyncCommand<>(new Command<>(CommandType.HMGET, new PlainRead(), fields));
    connection.dispatch(List.of(pttl, hmget));
    return hmget.thenCombine(pttl, PlainRead::withTtl);
  }

  /** Takes {@code PTTL}'s answer; returns this read. */
  PlainRead withTtl(long ttl) {
    pttl = ttl;
    return this;
  }

  /** Arguments that start with {@code key}, as a key (routed by its slot on a cluster). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static CommandArgs<String, byte[]> keyArguments(byte[] key) {
    return (CommandArgs) new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
  }

  @Override
  public void multi(int count) {
    if (count != FIELDS.length && error == null) {
      setError("a malformed HMGET reply: " + count + " items for " + FIELDS.length + " fields");
    }
  }

  @Override
  public void set(ByteBuffer bytes) {
    item++;
    if (bytes == null || error != null) {
      return;
    }
    try {
      switch (item) {
        case 0 -> {
          value = new byte[bytes.remaining()];
          bytes.get(value);
        }
        case 1 -> {
          version = EntryFields.version(bytes);
          versioned = true;
        }
        case 2 -> tagged = bytes.hasRemaining();
        default -> setError("a malformed HMGET reply: item " + item);
      }
    } catch (RuntimeException malformed) {
      setError("a malformed entry: field " + item + ": " + malformed.getMessage());
    }
  }

  /** The hit this read found, or null if the script must judge the key. */
  SharedLookup hit() {
    if (value == null || !versioned || tagged || pttl == -2) {
      return null;
    }
    return SharedLookup.hit(
        new SharedEntry(value, version, Duration.ofMillis(Math.max(1, pttl)), List.of()));
  }

  /** Whether the entry carried tags: the cache's lookups should go to the script first. */
  boolean tagged() {
    return tagged;
  }
}
