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
    return read(value, version, tags, 1_000);
  }

  private static PlainRead read(String value, byte[] version, String tags, long pttl) {
    PlainRead read = new PlainRead();
    read.multi(3);
    read.set(value == null ? null : bytes(value));
    read.set(version == null ? null : ByteBuffer.wrap(version));
    read.set(tags == null ? null : bytes(tags));
    return read.withTtl(pttl); // as PlainRead.send hands PTTL's answer over
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEntryWithoutTagsIsAHitWithWhatRemainsOfItsTtl() {
    SharedLookup hit = read("\"row\"", EntryFields.version(42), "", 1_500).hit();
    assertThat(hit.isHit()).isTrue();
    assertThat(new String(hit.entry().value(), StandardCharsets.UTF_8)).isEqualTo("\"row\"");
    assertThat(hit.entry().version()).isEqualTo(42);
    assertThat(hit.entry().ttl()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(hit.entry().tags()).isEmpty();
    assertThat(read("v", EntryFields.version(1), "", -1).hit().entry().ttl())
        .isEqualTo(Duration.ofMillis(1)); // no TTL on the key: as the script answers it
  }

  @Test
  void whatOnlyTheScriptCanJudgeIsLeftToIt() {
    assertThat(read(null, null, null, -2).hit())
        .as("no entry: the script takes the lease")
        .isNull();
    PlainRead tagged = read("v", EntryFields.version(1), "2:t1");
    assertThat(tagged.hit()).as("tags: the script compares their generations").isNull();
    assertThat(tagged.tagged()).isTrue();
    assertThat(read("v", EntryFields.version(1), "", -2).hit())
        .as("stored after PTTL looked: its TTL was not read")
        .isNull();
    assertThat(read("v", null, "").hit()).as("no version field: not a stored entry").isNull();
    assertThat(read("v", EntryFields.version(1), "").tagged()).isFalse();
  }

  @Test
  void aMalformedVersionIsAnErrorNotAHit() {
    PlainRead read = read("v", "not hex digits!!".getBytes(StandardCharsets.US_ASCII), "");
    assertThat(read.hasError()).isTrue();
    assertThat(read.getError()).contains("malformed");
  }
}
