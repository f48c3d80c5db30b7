package io.freshcache.cli.simulate;

import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run counts for one entity, every instance together: reads and hits, source reads and
 * writes, get latency, stale reads and the worst staleness, and loads per key (for the hot key's
 * figure). Not thread-safe: the replay's thread alone updates it (loads run on the reader).
 */
final class EntityMeter {

  final Entity entity;
  long reads;
  long hits;
  long sourceReads;
  long sourceWrites;
  long staleReads;
  long staleHits;
  long worstStalenessNanos;
  long virtualLoadNanos;
  final Histogram latency = new Histogram(3);
  final Map<String, Integer> readsByKey = new HashMap<>();
  final Map<String, Integer> loadsByKey = new HashMap<>();

  EntityMeter(Entity entity) {
    this.entity = entity;
  }

  void load(String key, long virtualNanos) {
    sourceReads++;
    virtualLoadNanos += virtualNanos;
    loadsByKey.merge(key, 1, Integer::sum);
  }

  void read(String key) {
    reads++;
    readsByKey.merge(key, 1, Integer::sum);
  }

  /** The most-read key, the lowest name on a tie; {@code null} if nothing was read. */
  String hottestKey() {
    String hottest = null;
    int most = -1;
    for (Map.Entry<String, Integer> e : readsByKey.entrySet()) {
      if (e.getValue() > most || (e.getValue() == most && e.getKey().compareTo(hottest) < 0)) {
        hottest = e.getKey();
        most = e.getValue();
      }
    }
    return hottest;
  }

  /** Source loads of the most-read key. */
  long hotKeyLoads() {
    String hottest = hottestKey();
    return hottest == null ? 0 : loadsByKey.getOrDefault(hottest, 0);
  }
}
