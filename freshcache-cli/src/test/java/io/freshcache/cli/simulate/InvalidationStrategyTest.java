package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.VersionConflictException;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One write on one of three instances, and what every instance reads right after it. */
class InvalidationStrategyTest {

  private static final long ID = 7;

  /** Three instances on 100 rows; the trace is not replayed here, the tests write themselves. */
  private static final Workload WORKLOAD =
      Workload.defaults().withKeys(100).withOps(1).withInstances(3);

  private ProductDatabase database;
  private final VirtualClock clock = new VirtualClock();
  private ProductSource source;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = ProductDatabase.create(100, 42);
    source = new ProductSource(database, clock, 0);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    database.close();
  }

  /** Product {@link #ID} with a new price at the version after the database's. */
  private Product nextOf(long id) throws SQLException {
    Product current = database.find(id);
    return new Product(id, current.name(), current.priceCents() + 1, current.version() + 1);
  }

  private Cluster cluster(InvalidationStrategy strategy) {
    Run<InvalidationStrategy> run =
        new Run<>(strategy, WORKLOAD, Trace.of(WORKLOAD), database, clock, source);
    Cluster cluster = new Cluster(run, Transport.IN_PROCESS);
    for (Instance instance : cluster.instances()) {
      assertThat(instance.products().get(ID).version()).isEqualTo(1);
      if (instance.summaries() != null) {
        instance.summaries().get(database.categories().categoryOf(ID));
      }
    }
    return cluster;
  }

  @ParameterizedTest
  @EnumSource(
      value = InvalidationStrategy.class,
      names = {"NO_INVALIDATION", "WRITE_BEHIND"},
      mode = EnumSource.Mode.EXCLUDE)
  void aWriteOnOneInstanceIsSeenAtOnceByEveryInstance(InvalidationStrategy strategy)
      throws Exception {
    try (Cluster cluster = cluster(strategy)) {
      strategy.write(cluster.instance(0), nextOf(ID));

      for (Instance instance : cluster.instances()) {
        assertThat(instance.products().get(ID).version()).as(strategy.label()).isEqualTo(2);
      }
      assertThat(database.find(ID).version()).isEqualTo(2);
    }
  }

  @Test
  void withoutInvalidationTheOtherInstancesKeepTheOldVersion() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.NO_INVALIDATION;
    try (Cluster cluster = cluster(strategy)) {
      strategy.write(cluster.instance(0), nextOf(ID));

      for (Instance instance : cluster.instances()) {
        assertThat(instance.products().get(ID).version()).isEqualTo(1);
      }
      assertThat(database.find(ID).version()).isEqualTo(2);
    }
  }

  @Test
  void anUpdateEventReplacesTheEntryOfEveryHolderWithoutALoad() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.UPDATE_EVENT;
    try (Cluster cluster = cluster(strategy)) {
      Product next = nextOf(ID);
      long loads = source.loads();

      strategy.write(cluster.instance(0), next);

      for (Instance instance : cluster.instances()) {
        assertThat(instance.products().getIfPresent(ID)).isEqualTo(next);
      }
      assertThat(source.loads()).isEqualTo(loads);
    }
  }

  @Test
  void pubSubRunsTheHandlerOfEveryInstanceOncePerEvent() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.PUB_SUB;
    try (Cluster cluster = cluster(strategy)) {
      strategy.write(cluster.instance(1), nextOf(ID));
      strategy.write(cluster.instance(2), nextOf(ID + 1));

      for (Instance instance : cluster.instances()) {
        assertThat(instance.handlerCalls()).isEqualTo(2);
        assertThat(instance.products().getIfPresent(ID)).isNull();
      }
    }
  }

  @Test
  void writeBehindShowsTheWriterItsWriteAtOnceAndTheDatabaseByClose() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.WRITE_BEHIND;
    Product next = nextOf(ID);
    Cluster cluster = cluster(strategy);
    try {
      strategy.write(cluster.instance(0), next);

      assertThat(cluster.instance(0).products().get(ID)).isEqualTo(next);
    } finally {
      cluster.close();
    }
    assertThat(database.find(ID)).isEqualTo(next);
  }

  @Test
  void aTagRepricingInvalidatesTheWholeCategoryOnEveryInstance() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.TAGS;
    long category = database.categories().categoryOf(ID);
    long neighbour = database.categories().productsOf(category)[1];
    try (Cluster cluster = cluster(strategy)) {
      cluster.instance(2).products().get(neighbour);

      long[] changed = strategy.write(cluster.instance(0), nextOf(ID));

      assertThat(changed).containsExactly(database.categories().productsOf(category));
      for (Instance instance : cluster.instances()) {
        assertThat(instance.products().get(ID).version()).isEqualTo(2);
      }
      assertThat(cluster.instance(2).products().get(neighbour).version()).isEqualTo(2);
    }
  }

  @Test
  void aCascadeRecomputesTheCategorySummaryOnEveryInstance() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.DEPENDENCY;
    long category = database.categories().categoryOf(ID);
    long[] current = new long[database.rows() + 1];
    Arrays.fill(current, 1);
    try (Cluster cluster = cluster(strategy)) {
      strategy.write(cluster.instance(0), nextOf(ID));
      current[(int) ID] = 2;

      for (Instance instance : cluster.instances()) {
        assertThat(instance.summaries().getIfPresent(category)).isNull();
        assertThat(instance.summaries().get(category).isStale(current)).isFalse();
        assertThat(instance.group().stats().cascaded()).isEqualTo(1);
      }
    }
  }

  @Test
  void aVersionedInvalidationRefusesAnOlderFillEverywhere() throws Exception {
    InvalidationStrategy strategy = InvalidationStrategy.VERSIONS;
    try (Cluster cluster = cluster(strategy)) {
      strategy.write(cluster.instance(0), nextOf(ID));
      Product old = new Product(ID, ProductDatabase.nameOf(ID), 1, 1);

      for (Instance instance : cluster.instances()) {
        assertThatThrownBy(() -> instance.products().put(ID, old))
            .isInstanceOf(VersionConflictException.class);
        assertThat(instance.products().analytics().stats().versionConflicts()).isEqualTo(1);
      }
    }
  }
}
