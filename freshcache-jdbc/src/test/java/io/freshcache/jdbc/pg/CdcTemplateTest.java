package io.freshcache.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.event.Invalidation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdcTemplateTest {

  @Test
  void rendersColumnsIntoTheName() {
    Template t = Template.parse("product:{id}:{ variant }", "key");
    assertThat(t.columns()).containsExactlyInAnyOrder("id", "variant");
    assertThat(t.render(Map.of("id", "42", "variant", "red")::get)).isEqualTo("product:42:red");
  }

  @Test
  void aNullColumnRendersNothingAndAnUnknownOneSaysSo() {
    Template t = Template.parse("category:{category_id}", "tag");
    assertThat(t.render(c -> null)).isNull();
    assertThat(t.render(c -> Template.UNKNOWN)).isSameAs(Template.UNKNOWN);
  }

  @Test
  void theCoveringGlobEscapesTheLiteralAndNeedsOne() {
    assertThat(Template.parse("product:{id}", "key").coveringGlob()).isEqualTo("product:*");
    assertThat(Template.parse("a*b?{id}", "key").coveringGlob()).isEqualTo("a\\*b\\?*");
    assertThat(Template.parse("{id}", "key").coveringGlob()).isNull();
  }

  @Test
  void badTemplatesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Template.parse("product", "key"))
        .hasMessageContaining("names no column");
    assertThatThrownBy(() -> Template.parse("product:{id", "key"))
        .hasMessageContaining("without its '}'");
    assertThatThrownBy(() -> Template.parse("product:{}", "key")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Template.parse("product:id}", "key"))
        .hasMessageContaining("closes nothing");
  }

  @Test
  void aTablesCoverIsItsKeyGlobsOrEverythingWhenTagsOrBareKeysExist() {
    MappedTable keysOnly =
        new MappedTable("public", "coupons", TableMapping.table("coupons").key("coupon:{code}"));
    assertThat(keysOnly.cover()).containsExactly(new Invalidation.Pattern(null, "coupon:*", false));
    MappedTable tagged =
        new MappedTable(
            "public", "products", TableMapping.table("products").key("p:{id}").tag("c:{c}"));
    assertThat(tagged.cover()).containsExactly(new Invalidation.All(null));
    MappedTable bare = new MappedTable("public", "t", TableMapping.table("t").key("{id}"));
    assertThat(bare.cover()).containsExactly(new Invalidation.All(null));
  }
}
