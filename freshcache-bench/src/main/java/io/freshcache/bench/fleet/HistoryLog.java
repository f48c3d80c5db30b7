package io.freshcache.bench.fleet;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One thread's history, appended to a file of its own: every read, write, outbox delivery, error
 * and source load, each with {@code System.nanoTime} timestamps (comparable across the fleet's
 * processes: {@link FleetHarness} checks that every process reads the same clock). Not thread-safe:
 * one log per thread.
 */
final class HistoryLog implements AutoCloseable {

  static final byte READ = 1;
  static final byte WRITE = 2;
  static final byte DELIVERED = 3;
  static final byte ERROR = 4;
  static final byte LOAD = 5;

  /** One record; fields unused by its kind are 0. */
  record Event(
      byte kind, int instance, int key, long version, long start, long end, boolean flag) {}

  private final int instance;
  private final DataOutputStream out;

  HistoryLog(Path file, int instance) {
    this.instance = instance;
    try {
      this.out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void read(int key, long version, long start, long end) {
    append(READ, key, version, start, end, false);
  }

  /** A write that returned; {@code pending}: the library still owed Redis its invalidation. */
  void write(int key, long version, long start, long end, boolean pending) {
    append(WRITE, key, version, start, end, pending);
  }

  void delivered(long at) {
    append(DELIVERED, 0, 0, at, at, false);
  }

  void error(int key, long at, boolean write) {
    append(ERROR, key, 0, at, at, write);
  }

  void load(int key, long at) {
    append(LOAD, key, 0, at, at, false);
  }

  private void append(byte kind, int key, long version, long start, long end, boolean flag) {
    try {
      out.writeByte(kind);
      out.writeInt(key);
      out.writeLong(version);
      out.writeLong(start);
      out.writeLong(end);
      out.writeBoolean(flag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pushes what is buffered to the file (a process killed later keeps it). */
  void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads back a log; a record cut short by a killed process ends it. */
  static void replay(Path file, int instance, Consumer<Event> each) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      while (true) {
        byte kind;
        try {
          kind = in.readByte();
        } catch (EOFException end) {
          return;
        }
        try {
          each.accept(
              new Event(
                  kind,
                  instance,
                  in.readInt(),
                  in.readLong(),
                  in.readLong(),
                  in.readLong(),
                  in.readBoolean()));
        } catch (EOFException cut) {
          return;
        }
      }
    }
  }

  int instance() {
    return instance;
  }
}
