package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

  private static final long GIB = 1L << 30;

  @Test
  void sizesReadAsPeopleWriteThem() {
    assertThat(ByteSize.text(350L << 20)).isEqualTo("350 MiB");
    assertThat(ByteSize.text(6 * GIB)).isEqualTo("6.0 GiB");
    assertThat(ByteSize.text(38 * GIB + (GIB / 3))).isEqualTo("38 GiB");
    assertThat(ByteSize.text(1_500 * GIB)).isEqualTo("1,500 GiB");
  }

  @Test
  void wholeGibibytesRoundUp() {
    assertThat(ByteSize.ceilGib(1)).isEqualTo(1);
    assertThat(ByteSize.ceilGib(GIB)).isEqualTo(1);
    assertThat(ByteSize.ceilGib(GIB + 1)).isEqualTo(2);
  }
}
