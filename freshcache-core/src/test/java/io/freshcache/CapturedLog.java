package io.freshcache;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the test logger (slf4j-simple, which writes to {@link System#err} as it is at each call)
 * prints while this is open, for counting the lines a cache logs. {@link #close} puts System.err
 * back and replays what was captured to it. System.err is global: a test using this must not run in
 * parallel with others, and should filter the lines by its own cache's name.
 */
final class CapturedLog implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  CapturedLog() {
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  /** Every line captured so far. */
  List<String> lines() {
    System.err.flush();
    return buffer.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** The captured lines that contain {@code text}. */
  List<String> linesWith(String text) {
    return lines().stream().filter(line -> line.contains(text)).toList();
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
    original.print(buffer.toString(StandardCharsets.UTF_8));
  }
}
