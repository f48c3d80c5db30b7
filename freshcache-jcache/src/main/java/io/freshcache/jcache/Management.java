package io.freshcache.jcache;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's management beans in the platform MBean server under the names the
 * specification gives: {@code javax.cache:type=CacheConfiguration|CacheStatistics,
 * CacheManager=<uri>,Cache=<name>}, with {@code , : = } and newlines in the URI and name replaced
 * by {@code .}.
 */
final class Management {

  enum Kind {
    CONFIGURATION("CacheConfiguration"),
    STATISTICS("CacheStatistics");

    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private Management() {}

  static void register(FreshJCache<?, ?> cache, Kind kind, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(cache, kind);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException raced) {
      // another thread registered the same cache's bean: the one the caller wanted is there
    } catch (JMException e) {
      throw new CacheException("could not register " + name + ": " + e, e);
    }
  }

  static void unregister(FreshJCache<?, ?> cache, Kind kind) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(cache, kind);
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException raced) {
      // already gone
    } catch (JMException e) {
      throw new CacheException("could not unregister " + name + ": " + e, e);
    }
  }

  static ObjectName name(FreshJCache<?, ?> cache, Kind kind) {
    String text =
        "javax.cache:type="
            + kind.type
            + ",CacheManager="
            + quote(cache.getCacheManager().getURI().toString())
            + ",Cache="
            + quote(cache.getName());
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("cache '" + cache.getName() + "': no valid MBean name: " + e, e);
    }
  }

  private static String quote(String text) {
    return text == null ? "" : text.replaceAll(",|:|=|\n", ".");
  }
}
