package io.freshcache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file that says whether this process owes Redis invalidations, so that a process that dies owing
 * some is found out when the group starts again. The file, named after the group and the instance,
 * exists and is locked by this process from the group's start to its close; its first byte is
 * {@code O} while an invalidation made here is unconfirmed — sent and not yet answered, or waiting
 * in the outbox — and {@code C} once Redis confirmed them all. The byte is a store into the file's
 * mapped page: it costs no system call, and it survives the process's death (the kernel holds the
 * page), though not necessarily a crash of the host.
 *
 * <p>A marker whose lock can be taken belongs to a process that is gone (the operating system
 * releases a dead process's locks). If it says {@code O} (or is of an older format) that process's
 * unconfirmed invalidations are lost, and the group that finds it has every instance clear the
 * group's caches, and the shared tier forget them, once Redis answers; if it says {@code C} it is
 * deleted.
 *
 * <p>Not thread-safe: the outbox calls it under its own lock.
 */
final class OutboxMarker {

  private static final Logger log = LoggerFactory.getLogger(OutboxMarker.class);
  private static final String SUFFIX = ".pending";
  private static final byte OWING = 'O';
  private static final byte CLEAN = 'C';

  /**
   * Markers this JVM holds. Never probed: closing any channel of a file may release every lock the
   * process holds on it (see {@link FileLock}), so a probe would free a live marker.
   */
  private static final java.util.Set<Path> HELD =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final String prefix;
  private final Path mine;
  private FileChannel channel;
  private FileLock lock;
  private MappedByteBuffer state;
  private boolean owing;

  /** Set when another group of this JVM holds the file: this marker then touches nothing. */
  private boolean someoneElses;

  OutboxMarker(Path directory, String group, String instanceId) {
    this.directory = directory;
    this.prefix = "freshcache-" + safe(group) + "-";
    this.mine = directory.resolve(prefix + safe(instanceId) + SUFFIX);
  }

  /**
   * Creates this process's marker, locked, saying {@code C}; call after {@link #orphans} (the
   * marker may take over the file of a dead process of the same instance id). Logs once if the
   * marker cannot be written: then nothing will tell the fleet if this process dies owing.
   */
  void open(String group) {
    if (HELD.contains(mine.toAbsolutePath())) {
      // Another group of this JVM has it: opening a second channel and closing it would release
      // that group's lock (see HELD).
      log.warn(
          "group '{}': the outbox marker {} is already held by another group of this process; give"
              + " each group its own instanceId or directory. This one keeps no marker",
          group,
          mine);
      someoneElses = true;
      return;
    }
    try {
      Files.createDirectories(directory);
      channel =
          FileChannel.open(
              mine, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      lock = channel.tryLock();
      if (lock == null) {
        throw new IOException(
            "another live process holds it: give each process its own instanceId or directory");
      }
      HELD.add(mine.toAbsolutePath());
      byte[] text =
          ("C group "
                  + group
                  + ", pid "
                  + ProcessHandle.current().pid()
                  + ", started "
                  + Instant.now()
                  + " (O: invalidations unconfirmed, C: none)\n")
              .getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(text), 0);
      channel.force(true);
      state = channel.map(FileChannel.MapMode.READ_WRITE, 0, 1);
    } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
      log.warn(
          "group '{}': could not write the outbox marker {} ({}); if this process dies owing"
              + " Redis invalidations, nothing will tell the fleet",
          group,
          mine,
          e.toString());
      release();
    }
  }

  /** Whether this process owes Redis invalidations: the marker's byte, written only on a change. */
  void owing(boolean now) {
    if (now != owing && state != null) {
      state.put(0, now ? OWING : CLEAN);
    }
    owing = now;
  }

  /** Closing with nothing owed: the marker goes. */
  void drained() {
    if (someoneElses) {
      return;
    }
    release();
    try {
      Files.deleteIfExists(mine);
    } catch (IOException e) {
      log.debug("could not delete the outbox marker {}: {}", mine, e.toString());
    }
  }

  /** Closing with invalidations undelivered: the marker stays, saying so, for the next start. */
  void keep() {
    if (someoneElses) {
      return;
    }
    owing(true);
    release();
  }

  /**
   * Markers of this group left by processes that are gone (their lock is free) owing invalidations;
   * those that owed none are deleted.
   */
  List<Path> orphans() {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*" + SUFFIX)) {
      for (Path file : files) {
        if (HELD.contains(file.toAbsolutePath())) {
          continue; // this JVM's own: alive
        }
        if (unlocked(file)) {
          if (owed(file)) {
            found.add(file);
          } else {
            forget(file);
          }
        }
      }
    } catch (IOException e) {
      log.warn("could not read the outbox markers in {}: {}", directory, e.toString());
    }
    return found;
  }

  /** Deletes an orphan once the fleet has been told, unless this process took its file over. */
  void forget(Path orphan) {
    if (orphan.toAbsolutePath().equals(mine.toAbsolutePath()) && lock != null) {
      return;
    }
    try {
      Files.deleteIfExists(orphan);
    } catch (IOException e) {
      log.debug("could not delete the outbox marker {}: {}", orphan, e.toString());
    }
  }

  /** Whether a marker says its process owed invalidations: anything but {@code C} first. */
  static boolean owed(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return in.read() != CLEAN;
    }
  }

  private static boolean unlocked(Path file) {
    try (FileChannel probe = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock taken = probe.tryLock();
      if (taken == null) {
        return false; // another process holds it: alive
      }
      taken.release();
      return true;
    } catch (OverlappingFileLockException heldInThisJvm) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private void release() {
    HELD.remove(mine.toAbsolutePath());
    state = null; // the mapping goes with the buffer; the byte is in the file already
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      log.debug("could not release the outbox marker {}: {}", mine, e.toString());
    }
    lock = null;
    channel = null;
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
