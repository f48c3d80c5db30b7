package io.freshcache.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The real pool, seen through a window that counts what the code under test sends: statements
 * prepared, batches executed. Every call goes to the real connection.
 */
final class Counting {

  final AtomicInteger statements = new AtomicInteger();
  final AtomicInteger batches = new AtomicInteger();
  final DataSource dataSource;

  Counting(DataSource real) {
    this.dataSource =
        proxy(
            DataSource.class,
            real,
            (r, m, a) -> {
              Object result = m.invoke(r, a);
              return m.getName().equals("getConnection") ? connection((Connection) result) : result;
            });
  }

  private Connection connection(Connection real) {
    return proxy(
        Connection.class,
        real,
        (r, m, a) -> {
          Object result = m.invoke(r, a);
          if (m.getName().equals("prepareStatement")) {
            statements.incrementAndGet();
            return statement((PreparedStatement) result);
          }
          return result;
        });
  }

  private PreparedStatement statement(PreparedStatement real) {
    return proxy(
        PreparedStatement.class,
        real,
        (r, m, a) -> {
          if (m.getName().equals("executeBatch")) {
            batches.incrementAndGet();
          }
          return m.invoke(r, a);
        });
  }

  private interface Call<T> {
    Object call(T real, java.lang.reflect.Method m, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T real, Call<T> call) {
    InvocationHandler h =
        (p, m, a) -> {
          try {
            return call.call(real, m, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
  }
}
