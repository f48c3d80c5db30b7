package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SeedsTest {

  private static List<Long> draws(SplittableRandom random) {
    return LongStream.range(0, 20).map(i -> random.nextLong()).boxed().toList();
  }

  @Test
  void theSameSeedGivesTheSameDraws() {
    assertThat(draws(Seeds.trace(7))).isEqualTo(draws(Seeds.trace(7)));
    assertThat(draws(Seeds.cache(7, TimeStrategy.TTL_JITTER)))
        .isEqualTo(draws(Seeds.cache(7, TimeStrategy.TTL_JITTER)));
  }

  @Test
  void anotherSeedGivesOtherDraws() {
    assertThat(draws(Seeds.trace(2))).isNotEqualTo(draws(Seeds.trace(1)));
    assertThat(draws(Seeds.prices(2))).isNotEqualTo(draws(Seeds.prices(1)));
    assertThat(draws(Seeds.cache(2, TimeStrategy.TTL_JITTER)))
        .isNotEqualTo(draws(Seeds.cache(1, TimeStrategy.TTL_JITTER)));
  }

  @Test
  void everyPurposeAndEveryStrategyHasAStreamOfItsOwn() {
    List<List<Long>> streams =
        new ArrayList<>(List.of(draws(Seeds.trace(7)), draws(Seeds.prices(7))));
    for (Strategy strategy : Strategy.catalogue()) {
      streams.add(draws(Seeds.cache(7, strategy)));
    }

    assertThat(streams).doesNotHaveDuplicates();
  }
}
