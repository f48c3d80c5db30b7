package io.freshcache.cli.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recorded access log for the domain workload, one operation per line: {@code
 * time,operation,entity,key[,version]}. {@code time} is in seconds from the start (decimals
 * allowed, never decreasing); {@code operation} is {@code read}, {@code write} or {@code event};
 * for a read or write, {@code entity} is one of the entities and {@code key} its id ({@code
 * product:warehouse} for inventory, e.g. {@code 42:1}); for an event, {@code entity} is {@code
 * category}, {@code warehouse}, {@code region}, {@code reports}, {@code user-deletion} (key: the
 * user) or {@code discontinuation} (key: the product) and {@code key} the one it touches. A write's
 * optional {@code version} is the version the recorded write set: one not newer than the key's
 * current version is skipped (and counted), as the source's version check would; any other write
 * commits the key's next version. Blank lines, lines starting with {@code #} and a first line
 * starting with {@code time} are ignored.
 */
final class TraceFile {

  /** A line that is not an operation: its number and what is wrong with it. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(Path file, int line, String problem) {
      super(
          file
              + " line "
              + line
              + ": "
              + problem
              + "; each line is time,operation,entity,key[,version], e.g. 1.5,read,price,42");
    }
  }

  /** The most ids an entity may have in a trace: the database holds one row each. */
  static final int MAX_ID = 1_000_000;

  /**
   * What a trace holds: its operations, the domain big enough for every id it names (at least
   * {@code base}), and the time of its last operation.
   */
  record Parsed(List<DomainOp> ops, Domain domain, long lastNanos) {}

  private TraceFile() {}

  /**
   * Reads {@code file}.
   *
   * @throws Malformed naming the first bad line
   * @throws IOException if it cannot be read
   */
  static Parsed read(Path file, Domain base) throws Malformed, IOException {
    List<String[]> rows = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        if (rows.isEmpty()
            && numbers.isEmpty()
            && text.toLowerCase(Locale.ROOT).startsWith("time")) {
          numbers.add(-1); // the header: skipped, and no later line may be one
          continue;
        }
        rows.add(text.split(",", -1));
        numbers.add(number);
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file + " (no such file; give the path of a CSV trace)");
    }
    if (!numbers.isEmpty() && numbers.get(0) == -1) {
      numbers.remove(0);
    }
    int users = base.users();
    int products = base.products();
    int categories = base.categories();
    int warehouses = base.warehouses();
    int regions = base.regions();
    int reports = base.reports();
    // First pass: the sizes, so that inventory ids can be numbered.
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i);
      int line = numbers.get(i);
      if (f.length < 4 || f.length > 5) {
        throw new Malformed(file, line, "expected 4 or 5 fields, found " + f.length);
      }
      String operation = f[1].strip().toLowerCase(Locale.ROOT);
      String entity = f[2].strip();
      if (operation.equals("event")) {
        Bulk bulk = bulk(file, line, entity);
        int target = id(file, line, f[3]);
        switch (bulk) {
          case CATEGORY -> categories = Math.max(categories, target);
          case WAREHOUSE -> warehouses = Math.max(warehouses, target);
          case REGION -> regions = Math.max(regions, target);
          case REPORTS -> {}
          case USER_DELETION -> users = Math.max(users, target);
          case DISCONTINUATION -> products = Math.max(products, target);
        }
        continue;
      }
      if (!operation.equals("read") && !operation.equals("write")) {
        throw new Malformed(
            file, line, "operation '" + f[1].strip() + "' is not read, write or event");
      }
      Entity e = entity(file, line, entity);
      if (e == Entity.INVENTORY) {
        int[] pw = stock(file, line, f[3]);
        products = Math.max(products, pw[0]);
        warehouses = Math.max(warehouses, pw[1]);
        continue;
      }
      int id = id(file, line, f[3]);
      switch (e) {
        case PROFILE, PREFERENCES, PERMISSIONS, FEED, RECOMMENDATIONS, DASHBOARD ->
            users = Math.max(users, id);
        case PRODUCT, PRICE -> products = Math.max(products, id);
        case CATEGORY_LIST -> categories = Math.max(categories, id);
        case REPORT -> reports = Math.max(reports, id);
        default -> {}
      }
    }
    Domain domain =
        new Domain(
            users,
            Math.min(users, regions),
            products,
            Math.min(products, categories),
            warehouses,
            reports);
    List<DomainOp> ops = new ArrayList<>();
    long last = 0;
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i);
      int line = numbers.get(i);
      long nanos = time(file, line, f[0]);
      if (nanos < last) {
        throw new Malformed(file, line, "time " + f[0].strip() + " is before the line above's");
      }
      last = nanos;
      String operation = f[1].strip().toLowerCase(Locale.ROOT);
      if (operation.equals("event")) {
        if (f.length == 5 && !f[4].isBlank()) {
          throw new Malformed(file, line, "an event takes no version");
        }
        ops.add(DomainOp.event(nanos, bulk(file, line, f[2]), id(file, line, f[3])));
        continue;
      }
      Entity e = entity(file, line, f[2]);
      int index;
      if (e == Entity.INVENTORY) {
        int[] pw = stock(file, line, f[3]);
        index = domain.stockIndex(pw[0], pw[1]);
      } else {
        index = id(file, line, f[3]);
      }
      if (operation.equals("read")) {
        ops.add(DomainOp.read(nanos, e, index));
        continue;
      }
      if (!e.hasRow()) {
        throw new Malformed(
            file, line, e.label() + " is computed: it cannot be written, only read");
      }
      long version = 0;
      if (f.length == 5 && !f[4].isBlank()) {
        try {
          version = Long.parseLong(f[4].strip());
        } catch (NumberFormatException x) {
          throw new Malformed(file, line, "version '" + f[4].strip() + "' is not a whole number");
        }
        if (version < 2) {
          throw new Malformed(file, line, "a write's version must be at least 2 (rows start at 1)");
        }
      }
      ops.add(DomainOp.write(nanos, e, index, version));
    }
    if (ops.isEmpty()) {
      throw new Malformed(file, Math.max(1, numbers.size()), "the trace holds no operation");
    }
    return new Parsed(List.copyOf(ops), domain, last);
  }

  private static long time(Path file, int line, String text) throws Malformed {
    try {
      double seconds = Double.parseDouble(text.strip());
      if (!(seconds >= 0) || seconds > 86_400 * 365) {
        throw new Malformed(
            file, line, "time " + text.strip() + " is not a number of seconds >= 0");
      }
      return Math.round(seconds * 1e9);
    } catch (NumberFormatException e) {
      throw new Malformed(file, line, "time '" + text.strip() + "' is not a number of seconds");
    }
  }

  private static int id(Path file, int line, String text) throws Malformed {
    try {
      int id = Integer.parseInt(text.strip());
      if (id < 1 || id > MAX_ID) {
        throw new Malformed(file, line, "key " + id + " is not within [1, " + MAX_ID + "]");
      }
      return id;
    } catch (NumberFormatException e) {
      throw new Malformed(file, line, "key '" + text.strip() + "' is not a whole number");
    }
  }

  private static int[] stock(Path file, int line, String text) throws Malformed {
    String[] parts = text.strip().split(":w?", 2);
    if (parts.length != 2) {
      throw new Malformed(
          file,
          line,
          "an inventory key is product:warehouse, e.g. 42:1; was '" + text.strip() + "'");
    }
    return new int[] {id(file, line, parts[0]), id(file, line, parts[1])};
  }

  private static Entity entity(Path file, int line, String text) throws Malformed {
    try {
      return Entity.named(text);
    } catch (IllegalArgumentException e) {
      throw new Malformed(file, line, e.getMessage());
    }
  }

  private static Bulk bulk(Path file, int line, String text) throws Malformed {
    try {
      return Bulk.named(text);
    } catch (IllegalArgumentException e) {
      throw new Malformed(file, line, e.getMessage());
    }
  }
}
