package io.freshcache.redis;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Reads the reply of {@link SharedScripts#LOOKUP} straight off the wire into {@link SharedLookup}s:
 * five items per key at fixed positions ({@code kind, value or token, ver, tags, pttl}), the value
 * copied once into the entry's array and nothing else kept, so that no list of the reply's items,
 * no boxed number and no intermediate string is made. Lettuce calls it on its I/O thread, one reply
 * at a time.
 *
 * @param <T> one answer ({@link One}) or an array of them ({@link Many})
 */
abstract class LookupReply<T> extends CommandOutput<String, byte[], T> {

  /** Unused: the reply's bytes are read here, not decoded by a codec. Lettuce wants one. */
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final int HIT = 1;
  private static final int LEASED = 2;
  private static final int BUSY = 3;

  private int item = -1;
  private int answers;
  private long kind;
  private byte[] first;
  private long version;
  private List<String> tags;

  LookupReply(T output) {
    super(CODEC, output);
  }

  /** The {@code index}th key's answer. */
  abstract void answer(int index, SharedLookup found);

  @Override
  public void multi(int count) {
    // The reply is one flat array: nothing to do at its start.
  }

  @Override
  public void set(long integer) {
    item++;
    if (item % 5 == 0) {
      kind = integer;
    } else if (item % 5 == 4) {
      end(integer); // the fifth: pttl
    } else if (error == null) {
      setError("a malformed lookup reply: a number at item " + item);
    }
  }

  @Override
  public void set(ByteBuffer bytes) {
    item++;
    if (bytes == null || error != null) {
      return; // the script never answers nil; a malformed reply is reported once, at its end
    }
    try {
      switch (item % 5) {
        case 1 -> {
          if (kind == HIT || kind == LEASED) {
            first = copy(bytes);
          }
        }
        case 2 -> version = kind == HIT ? EntryFields.version(bytes) : 0;
        case 3 -> tags = kind == HIT && bytes.hasRemaining() ? EntryFields.list(copy(bytes)) : null;
        default -> throw new IllegalStateException("a string where the pttl belongs");
      }
    } catch (RuntimeException malformed) {
      setError("a malformed lookup reply at item " + item + ": " + malformed.getMessage());
    }
  }

  private void end(long pttl) {
    SharedLookup found = null;
    if (error == null) {
      if (kind == HIT && first != null) {
        found =
            SharedLookup.hit(
                new SharedEntry(
                    first,
                    version,
                    Duration.ofMillis(Math.max(1, pttl)),
                    tags == null ? List.of() : tags));
      } else if (kind == LEASED && first != null) {
        found = SharedLookup.leased(new String(first, StandardCharsets.UTF_8));
      } else if (kind == BUSY) {
        found = SharedLookup.busy();
      } else {
        setError("a malformed lookup reply: kind " + kind + " at item " + item);
      }
    }
    first = null;
    tags = null;
    answer(answers++, found);
  }

  private static byte[] copy(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    return copy;
  }

  /** The answer of a lookup of one key. */
  static final class One extends LookupReply<SharedLookup> {
    One() {
      super(null);
    }

    @Override
    void answer(int index, SharedLookup found) {
      output = found;
    }
  }

  /** The answers of a lookup of several keys, in their order. */
  static final class Many extends LookupReply<SharedLookup[]> {
    Many(int keys) {
      super(new SharedLookup[keys]);
    }

    @Override
    void answer(int index, SharedLookup found) {
      if (index < output.length) {
        output[index] = found;
      } else {
        setError("the lookup script answered more keys than it was given");
      }
    }
  }
}
