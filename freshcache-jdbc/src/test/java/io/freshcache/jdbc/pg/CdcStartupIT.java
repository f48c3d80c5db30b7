package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.InProcessBus;
import io.freshcache.event.EventKeys;
import io.freshcache.spi.InvalidationBus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input at startup: one clear line naming the problem and the fix, and nothing half-started —
 * no thread, no slot, no publication, no bus opened, no session left open.
 */
class CdcStartupIT {

  private static String url;
  private static final AtomicInteger SLOTS = new AtomicInteger();

  @BeforeAll
  static void schema() {
    url = PrivatePostgres.shared().newDatabase("startup");
    Sql.run(
        url,
        "create table products (id bigint primary key, name text, category_id int)",
        "create table nopk (a int, b int)",
        "create table full_nopk (a int, b int)",
        "alter table full_nopk replica identity full",
        "create table measurements (id int, at date, primary key (id, at)) partition by range"
            + " (at)",
        "create role app login",
        "create table versioned (id bigint primary key, name text, version bigint)");
  }

  @AfterAll
  static void dropRole() {
    Sql.run(url, "drop role if exists app");
  }

  @Test
  void anUnknownTable() {
    refused(
        url,
        TableMapping.table("prodcts").key("product:{id}"),
        "table 'prodcts' in the mapping does not exist",
        "fix the TableMapping's name");
  }

  @Test
  void anUnknownColumn() {
    refused(
        url,
        TableMapping.table("products").key("product:{idd}"),
        "table public.products has no column 'idd'",
        "its columns are id, name, category_id");
  }

  @Test
  void aTableWithoutAPrimaryKey() {
    refused(
        url,
        TableMapping.table("nopk").key("row:{a}"),
        "table public.nopk has no primary key",
        "REPLICA IDENTITY FULL");
  }

  @Test
  void aPartitionedTable() {
    refused(
        url,
        TableMapping.table("measurements").key("m:{id}"),
        "is partitioned",
        "map its partitions");
  }

  @Test
  void aTableWithoutAPrimaryKeyButFullIdentityIsFine() {
    String slot = "startup_" + SLOTS.incrementAndGet();
    try (PgChangeCapture capture =
        PgChangeCapture.builder("startup", url)
            .slot(slot)
            .bus(new InProcessBus())
            .map(TableMapping.table("full_nopk").key("row:{a}"))
            .start()) {
      assertThat(capture.slot()).isEqualTo(slot);
    }
  }

  @Test
  void aTemplateReadingAColumnWhoseOldValueIsNotSent() {
    refused(
        url,
        TableMapping.table("products").key("product:{id}").tag("category:{category_id}"),
        "reads column 'category_id' of public.products, which is not in its replica identity",
        "ALTER TABLE public.products REPLICA IDENTITY FULL");
  }

  @Test
  void aRoleWithoutTheReplicationPrivilege() {
    refused(
        url.replace("user=postgres", "user=app"),
        TableMapping.table("products").key("product:{id}"),
        "role 'app' may not open a replication connection",
        "ALTER ROLE \"app\" REPLICATION");
  }

  @Test
  void walLevelNotLogical() {
    try (PrivatePostgres replica = PrivatePostgres.start(Map.of("wal_level", "replica"))) {
      String other = replica.newDatabase("replica");
      Sql.run(other, "create table products (id bigint primary key)");
      refused(
          other,
          TableMapping.table("products").key("product:{id}"),
          "wal_level is 'replica'",
          "set wal_level = logical in postgresql.conf");
    }
  }

  private static final EventKeys KEYS =
      EventKeys.signingWith("startup", "sixteen bytes at least".getBytes(StandardCharsets.UTF_8));

  @Test
  void anUnknownVersionColumn() {
    refused(
        url,
        TableMapping.table("versioned").key("v:{id}").version("revision").value(row -> "x"),
        KEYS,
        "table public.versioned has no column 'revision' (named by .version(\"revision\"))",
        "fix the version column's name; its columns are id, name, version");
  }

  @Test
  void aVersionColumnThatIsNotAnInteger() {
    refused(
        url,
        TableMapping.table("versioned").key("v:{id}").version("name"),
        KEYS,
        "version column 'name' of public.versioned is text, not an integer",
        "name a smallint, integer or bigint column");
  }

  @Test
  void aValueWithoutAVersion() {
    refused(
        url,
        TableMapping.table("versioned").key("v:{id}").value(row -> row.text("name")),
        KEYS,
        "builds values but names no version column",
        "add .version(\"<column>\")");
  }

  @Test
  void aVersionWithoutEventKeys() {
    refused(
        url,
        TableMapping.table("versioned").key("v:{id}").version("version"),
        null,
        "instances accept only from signed events",
        ".eventKeys(keys)");
  }

  @Test
  void aValueAndAVersionStart() {
    String slot = "startup_" + SLOTS.incrementAndGet();
    try (PgChangeCapture capture =
        PgChangeCapture.builder("startup", url)
            .slot(slot)
            .eventKeys(KEYS)
            .bus(new InProcessBus())
            .map(
                TableMapping.table("versioned")
                    .key("v:{id}")
                    .version("version")
                    .value(row -> row.text("name")))
            .start()) {
      assertThat(capture.slot()).isEqualTo(slot);
    }
  }

  private static void refused(String url, TableMapping mapping, String problem, String fix) {
    refused(url, mapping, null, problem, fix);
  }

  private static void refused(
      String url, TableMapping mapping, EventKeys keys, String problem, String fix) {
    String slot = "startup_" + SLOTS.incrementAndGet();
    AtomicInteger opened = new AtomicInteger();
    InvalidationBus.Opener bus =
        namespace -> {
          opened.incrementAndGet();
          return new InProcessBus();
        };
    assertThatThrownBy(
            () -> {
              PgChangeCaptureBuilder b =
                  PgChangeCapture.builder("startup", url).slot(slot).bus(bus).map(mapping);
              if (keys != null) {
                b.eventKeys(keys);
              }
              b.start();
            })
        .isInstanceOf(ChangeCaptureException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining(fix)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
        .satisfies(e -> System.out.println("refused: " + e.getMessage()));
    assertThat(opened).as("the bus was not opened").hasValue(0);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("freshcache-cdc-" + slot));
    String admin = url.replace("user=app", "user=postgres");
    assertThat(
            Sql.number(
                admin,
                "select count(*) from pg_replication_slots where slot_name = '" + slot + "'"))
        .isZero();
    assertThat(
            Sql.number(admin, "select count(*) from pg_publication where pubname = '" + slot + "'"))
        .isZero();
    assertThat(
            Sql.number(
                admin,
                "select count(*) from pg_stat_activity where application_name = 'freshcache-cdc' and"
                    + " datname = current_database()"))
        .isZero();
  }
}
