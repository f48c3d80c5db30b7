package io.freshcache;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * A file that says "this process has invalidations that have not reached Redis", so that a process
 * that dies with its outbox full is found out when the group starts again. While the outbox holds
 * anything, a marker named after the group and the instance exists in the directory and this
 * process holds a lock on it; when the outbox empties, the marker goes. A marker whose lock can be
 * taken belongs to a process that is gone (the operating system releases a dead process's locks):
 * its invalidations are lost, and the group that finds it has every instance clear the group's
 * caches, and the shared tier forget them, once Redis answers.
 *
 * <p>Not thread-safe: the outbox calls it under its own lock.
 */
final class OutboxMarker {

  private static final Logger log = LoggerFactory.getLogger(OutboxMarker.class);
  private static final String SUFFIX = ".pending";

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
  private boolean failedOnce;

  OutboxMarker(Path directory, String group, String instanceId) {
    this.directory = directory;
    this.prefix = "freshcache-" + safe(group) + "-";
    this.mine = directory.resolve(prefix + safe(instanceId) + SUFFIX);
  }

  /** The outbox now holds something: the marker exists, locked, on disk. */
  void backlog(String group) {
    if (lock != null) {
      return;
    }
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(mine, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = channel.tryLock();
      HELD.add(mine.toAbsolutePath());
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              ("group "
                      + group
                      + ", pid "
                      + ProcessHandle.current().pid()
                      + ", since "
                      + Instant.now()
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    } catch (IOException | OverlappingFileLockException e) {
      if (!failedOnce) {
        failedOnce = true;
        log.warn(
            "group '{}': could not write the outbox marker {} ({}); if this process dies before"
                + " its outbox empties, nothing will tell the fleet",
            group,
            mine,
            e.toString());
      }
    }
  }

  /** The outbox is empty again: the marker goes. */
  void drained() {
    release();
    try {
      Files.deleteIfExists(mine);
    } catch (IOException e) {
      log.debug("could not delete the outbox marker {}: {}", mine, e.toString());
    }
  }

  /** Closing with invalidations undelivered: the marker stays for the next start to find. */
  void keep() {
    release();
  }

  /** Markers of this group left by processes that are gone (their lock is free). */
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
          found.add(file);
        }
      }
    } catch (IOException e) {
      log.warn("could not read the outbox markers in {}: {}", directory, e.toString());
    }
    return found;
  }

  /** Deletes an orphan once the fleet has been told. */
  static void forget(Path orphan) {
    try {
      Files.deleteIfExists(orphan);
    } catch (IOException e) {
      log.debug("could not delete the outbox marker {}: {}", orphan, e.toString());
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
