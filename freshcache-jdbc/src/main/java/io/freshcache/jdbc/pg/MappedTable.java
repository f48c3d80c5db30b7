package io.freshcache.jdbc.pg;

import io.freshcache.event.Invalidation;
import java.util.ArrayList;
import java.util.List;

/** A mapping resolved against the database: the table's schema and name as the stream names it. */
record MappedTable(String schema, String name, TableMapping mapping) {

  String qualified() {
    return schema + "." + name;
  }

  /**
   * What invalidates everything this table's rows could have rendered: a glob per key template, and
   * everything when a tag template exists or a key template starts with a placeholder.
   */
  List<Invalidation> cover() {
    List<Invalidation> cover = new ArrayList<>();
    boolean all = !mapping.tags().isEmpty();
    for (Template key : mapping.keys()) {
      String glob = key.coveringGlob();
      if (glob == null) {
        all = true;
      } else {
        cover.add(new Invalidation.Pattern(null, glob, false));
      }
    }
    return all ? List.of(new Invalidation.All(null)) : cover;
  }
}
