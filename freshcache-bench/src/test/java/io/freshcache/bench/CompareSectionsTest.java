package io.freshcache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Compare writes into BENCHMARKS.md: the sections run, and nothing else changed. */
class CompareSectionsTest {

  private static final String BEFORE = "# Benchmarks\n\nintro\n\n";
  private static final String AFTER = "\n\n## Later\n\ntext\n";

  private static String document(String block) {
    return BEFORE + Compare.BEGIN + block + Compare.END + AFTER;
  }

  @Test
  void aFullRunWritesEverySectionBetweenItsOwnMarkers() {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("hit", "hit table\n");
    parts.put("propagation", "propagation table\n");
    parts.put("memory", "memory table\n");

    String written = Compare.written(document("\nan old table without sections\n"), parts);

    assertThat(written)
        .isEqualTo(
            document(
                "\n<!-- compare:hit -->\nhit table\n<!-- /compare:hit -->\n"
                    + "<!-- compare:propagation -->\npropagation table\n"
                    + "<!-- /compare:propagation -->\n"
                    + "<!-- compare:memory -->\nmemory table\n<!-- /compare:memory -->\n"));
  }

  @Test
  void aRunOfOneSectionReplacesThatSectionAndKeepsTheOthers() {
    String full =
        document(
            "\n<!-- compare:hit -->\nhit table\n<!-- /compare:hit -->\n"
                + "<!-- compare:propagation -->\nold propagation\n<!-- /compare:propagation -->\n"
                + "<!-- compare:memory -->\nmemory table\n<!-- /compare:memory -->\n");

    String written = Compare.written(full, Map.of("propagation", "new propagation\n"));

    assertThat(written).isEqualTo(full.replace("old propagation", "new propagation"));
  }

  @Test
  void aRunOfOneSectionIntoABlockWithoutSectionMarkersKeepsWhatStandsThere() {
    String old = document("\nan old table without sections\n");

    String written = Compare.written(old, Map.of("memory", "memory table\n"));

    assertThat(written)
        .isEqualTo(
            document(
                "\nan old table without sections\n"
                    + "<!-- compare:memory -->\nmemory table\n<!-- /compare:memory -->\n"));
  }
}
