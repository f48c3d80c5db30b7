package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.spi.SharedLookup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@link PlainRead} judges a hit, and what it leaves to the lookup script. */
class PlainReadTest {

  private static PlainRead read(String value, byte[] version, String tags) {
    PlainRead read = new PlainRead();
    read.multi(3);
    read.set(value == null ? null : bytes(value));
    read.set(version == null ? null : ByteBuffer.wrap(version));
    read.set(tags == null ? null : bytes(tags));
    return read;
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEntryWithoutTagsIsAHitWithWhatRemainsOfItsTtl() {
    SharedLookup hit = read("\"row\"", EntryFields.version(42), "").hit(1_500);
    assertThat(hit.isHit()).isTrue();
    assertThat(new String(hit.entry().value(), StandardCharsets.UTF_8)).isEqualTo("\"row\"");
    assertThat(hit.entry().version()).isEqualTo(42);
    assertThat(hit.entry().ttl()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(hit.entry().tags()).isEmpty();
    assertThat(read("v", EntryFields.version(1), "").hit(-1).entry().ttl())
        .isEqualTo(Duration.ofMillis(1)); // no TTL on the key: as the script answers it
  }

  @Test
  void whatOnlyTheScriptCanJudgeIsLeftToIt() {
    assertThat(read(null, null, null).hit(-2)).as("no entry: the script takes the lease").isNull();
    PlainRead tagged = read("v", EntryFields.version(1), "2:t1");
    assertThat(tagged.hit(1_000)).as("tags: the script compares their generations").isNull();
    assertThat(tagged.tagged()).isTrue();
    assertThat(read("v", EntryFields.version(1), "").hit(-2))
        .as("stored after PTTL looked: its TTL was not read")
        .isNull();
    assertThat(read("v", null, "").hit(1_000)).as("no version field: not a stored entry").isNull();
    assertThat(read("v", EntryFields.version(1), "").tagged()).isFalse();
  }

  @Test
  void aMalformedVersionIsAnErrorNotAHit() {
    PlainRead read = read("v", "not hex digits!!".getBytes(StandardCharsets.US_ASCII), "");
    assertThat(read.hasError()).isTrue();
    assertThat(read.getError()).contains("malformed");
  }
}
