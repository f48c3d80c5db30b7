package io.freshcache.jdbc.pg;

/** Lets tests of other packages use the private cluster and clean Redis up. */
public final class TestDatabases {

  private TestDatabases() {}

  /** A new database of the tests' private cluster, as a JDBC URL. */
  public static String newDatabase(String hint) {
    return PrivatePostgres.shared().newDatabase(hint);
  }

  /** Unlinks the Redis keys of a test's namespace under the tests' key prefix. */
  public static void deleteRedisKeys(String namespace) {
    Fleet.deleteKeys(namespace);
  }
}
