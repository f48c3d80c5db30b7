package io.freshcache.spi;

/**
 * What a {@link SharedTier#lookup} found.
 *
 * @param entry the stored entry, or null on a miss
 * @param lease on a miss, the lease this caller now holds to fill the key; null if it has none
 * @param loadingElsewhere on a miss, true if another instance holds the lease (wait for its fill)
 */
public record SharedLookup(SharedEntry entry, String lease, boolean loadingElsewhere) {

  /** A hit. */
  public static SharedLookup hit(SharedEntry entry) {
    return new SharedLookup(entry, null, false);
  }

  /** A miss with a lease for this caller. */
  public static SharedLookup leased(String lease) {
    return new SharedLookup(null, lease, false);
  }

  /** A miss while another instance loads the key. */
  public static SharedLookup busy() {
    return new SharedLookup(null, null, true);
  }

  public boolean isHit() {
    return entry != null;
  }
}
