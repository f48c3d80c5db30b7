package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.event.Invalidation;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** pgoutput messages, encoded here as the server sends them, decoded and translated. */
class CdcTranslatorTest {

  private static final int OID = 16385;

  private final Translator translator =
      translator(TableMapping.table("products").key("product:{id}").tag("category:{category_id}"));

  private static Translator translator(TableMapping mapping) {
    return new Translator(List.of(new MappedTable("public", "products", mapping)));
  }

  @Test
  void anUpdateWithTheFullOldRowInvalidatesOldAndNewTags() throws IOException {
    translator.relation((PgOutput.Relation) PgOutput.read(relation('f')));
    Translator.Changes changes = new Translator.Changes();
    PgOutput.Update u =
        (PgOutput.Update)
            PgOutput.read(message('U', OID, 'O', row("7", "old", "1"), 'N', row("7", "new", "2")));
    translator.update(u, changes);
    assertThat(changes.keys).containsExactly("product:7");
    assertThat(changes.tags).containsExactly("category:2", "category:1");
    assertThat(changes.covers).isEmpty();
  }

  @Test
  void anUpdateWithoutTheOldRowFallsBackToTheTablesCover() throws IOException {
    translator.relation((PgOutput.Relation) PgOutput.read(relation('d')));
    Translator.Changes changes = new Translator.Changes();
    translator.update(
        (PgOutput.Update) PgOutput.read(message('U', OID, 'N', row("7", "new", "2"))), changes);
    assertThat(changes.covers).containsExactly(new Invalidation.All(null));
    assertThat(changes.invalidations()).containsExactly(new Invalidation.All(null));
  }

  @Test
  void aDeleteAndAnInsertAndNullTags() throws IOException {
    translator.relation((PgOutput.Relation) PgOutput.read(relation('f')));
    Translator.Changes changes = new Translator.Changes();
    translator.delete(
        (PgOutput.Delete) PgOutput.read(message('D', OID, 'O', row("8", "x", "3"))), changes);
    translator.insert(
        (PgOutput.Insert) PgOutput.read(message('I', OID, 'N', row("9", "y", null))), changes);
    assertThat(changes.keys).containsExactly("product:8", "product:9");
    assertThat(changes.tags).containsExactly("category:3");
  }

  @Test
  void aMappingWithAVersionAndAValueWritesTheNewRowAfterTheTags() throws IOException {
    Translator withValues =
        translator(
            TableMapping.table("products")
                .key("product:{id}")
                .tag("category:{category_id}")
                .version("category_id")
                .value(row -> Map.of("name", row.text("name"))));
    withValues.relation((PgOutput.Relation) PgOutput.read(relation('f')));
    Translator.Changes changes = new Translator.Changes();
    // the key moves from 7 to 8: 7 is deleted, 8 written
    withValues.update(
        (PgOutput.Update)
            PgOutput.read(message('U', OID, 'O', row("7", "old", "1"), 'N', row("8", "new", "2"))),
        changes);
    assertThat(changes.invalidations())
        .containsExactly(
            new Invalidation.Keys(null, List.of("product:7"), false, OptionalLong.empty()),
            new Invalidation.Tags(null, List.of("category:2", "category:1")),
            new Invalidation.Update(
                null,
                List.of("product:8"),
                Map.of("product:8", Map.of("name", "new")),
                OptionalLong.of(2)));
    // a delete later in the transaction turns the write back into a deletion
    withValues.delete(
        (PgOutput.Delete) PgOutput.read(message('D', OID, 'O', row("8", "new", "2"))), changes);
    assertThat(changes.written).isEmpty();
    assertThat(changes.keys).containsExactly("product:7", "product:8");
  }

  @Test
  void aValueFunctionThatFailsLeavesTheKeyInvalidatedAtItsVersion() throws IOException {
    Translator failing =
        translator(
            TableMapping.table("products")
                .key("product:{id}")
                .version("category_id")
                .value(
                    row -> {
                      throw new IllegalStateException("no");
                    }));
    failing.relation((PgOutput.Relation) PgOutput.read(relation('f')));
    Translator.Changes changes = new Translator.Changes();
    failing.insert(
        (PgOutput.Insert) PgOutput.read(message('I', OID, 'N', row("9", "y", "4"))), changes);
    assertThat(changes.invalidations())
        .containsExactly(
            new Invalidation.Update(null, List.of("product:9"), Map.of(), OptionalLong.of(4)));
  }

  @Test
  void beginAndCommitCarryPositionsAndTimes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte('C');
    out.writeByte(0);
    out.writeLong(100);
    out.writeLong(180);
    out.writeLong(5);
    PgOutput.Commit c = (PgOutput.Commit) PgOutput.read(ByteBuffer.wrap(bytes.toByteArray()));
    assertThat(c.commitLsn()).isEqualTo(100);
    assertThat(c.endLsn()).isEqualTo(180);
    assertThat(c.commitMicros()).isEqualTo(PgOutput.PG_EPOCH_MICROS + 5);
  }

  private static ByteBuffer relation(char identity) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte('R');
    out.writeInt(OID);
    cstring(out, "public");
    cstring(out, "products");
    out.writeByte(identity);
    out.writeShort(3);
    column(out, "id", identity == 'f' || identity == 'd');
    column(out, "name", identity == 'f');
    column(out, "category_id", identity == 'f');
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  private static void column(DataOutputStream out, String name, boolean key) throws IOException {
    out.writeByte(key ? 1 : 0);
    cstring(out, name);
    out.writeInt(23);
    out.writeInt(-1);
  }

  private static void cstring(DataOutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.writeByte(0);
  }

  private static String[] row(String... values) {
    return values;
  }

  /** tag, oid, then (kind char, row) pairs. */
  private static ByteBuffer message(char tag, int oid, Object... parts) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(tag);
    out.writeInt(oid);
    for (int i = 0; i < parts.length; i += 2) {
      out.writeByte((Character) parts[i]);
      String[] row = (String[]) parts[i + 1];
      out.writeShort(row.length);
      for (String v : row) {
        if (v == null) {
          out.writeByte('n');
        } else {
          byte[] b = v.getBytes(StandardCharsets.UTF_8);
          out.writeByte('t');
          out.writeInt(b.length);
          out.write(b);
        }
      }
    }
    return ByteBuffer.wrap(bytes.toByteArray());
  }
}
