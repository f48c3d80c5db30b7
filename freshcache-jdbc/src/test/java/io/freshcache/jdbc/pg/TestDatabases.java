package io.freshcache.jdbc.pg;

/** Lets tests of other packages use the private cluster. */
public final class TestDatabases {

  private TestDatabases() {}

  /** A new database of the tests' private cluster, as a JDBC URL. */
  public static String newDatabase(String hint) {
    return PrivatePostgres.shared().newDatabase(hint);
  }
}
