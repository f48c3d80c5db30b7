package io.freshcache.stats;

import java.util.List;
import java.util.Optional;

/**
 * Read-only statistics of one cache. Looking a key up here never counts as a read, never extends a
 * sliding expiry and never loads.
 *
 * @param <K> the key type
 */
public interface CacheAnalytics<K> {

  /** The cache's counters now. */
  CacheStats stats();

  /**
   * What the cache's freshness verifier found (see {@code FreshCacheBuilder.verify}): the stale
   * rate of sampled hits checked against the source, as nines, with its confidence interval, the
   * ages of the stale entries caught and the last keys caught. Empty if the cache does not verify.
   */
  Optional<VerifierStats> verification();

  /** The key's entry as the cache holds it now, or empty if it holds none. */
  Optional<KeyAnalytics<K>> key(K key);

  /**
   * The {@code limit} most-read entries held now, most-read first. Walks every entry: meant for
   * dashboards and the CLI, not for the hot path.
   */
  List<KeyAnalytics<K>> hottest(int limit);
}
