package io.freshcache.jcache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes what a cache made from its configuration's factories, if it holds resources. */
final class Closing {

  private static final Logger log = LoggerFactory.getLogger(Closing.class);

  private Closing() {}

  static void quietly(Object resource, String what) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("could not close the {} {}", what, resource, e);
      }
    }
  }
}
