package io.freshcache.jcache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import javax.cache.CacheException;

/**
 * How a cache holds keys and values: by reference (the caller's objects), or by value (a copy made
 * through Java serialization when stored, and a fresh copy handed out on every read, so that
 * changing an object after {@code put} or after {@code get} never changes the cache).
 */
abstract sealed class Copier {

  static Copier of(boolean byValue, ClassLoader loader) {
    return byValue ? new ByValue(loader) : new ByReference();
  }

  /** The form a value is stored in. */
  abstract Object store(Object value);

  /** The value a stored form stands for, as handed to a caller. */
  abstract Object load(Object stored);

  /** The key as the cache keeps it; equal to {@code key}. */
  abstract Object key(Object key);

  static final class ByReference extends Copier {
    @Override
    Object store(Object value) {
      return value;
    }

    @Override
    Object load(Object stored) {
      return stored;
    }

    @Override
    Object key(Object key) {
      return key;
    }
  }

  static final class ByValue extends Copier {

    /** A serialized value: only its bytes are kept, so no reference escapes. */
    private record Bytes(byte[] bytes) {}

    private final ClassLoader loader;

    ByValue(ClassLoader loader) {
      this.loader = loader;
    }

    @Override
    Object store(Object value) {
      return new Bytes(serialize(value));
    }

    @Override
    Object load(Object stored) {
      return deserialize(((Bytes) stored).bytes());
    }

    @Override
    Object key(Object key) {
      return deserialize(serialize(key));
    }

    private static byte[] serialize(Object object) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(object);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "a cache that stores by value copies keys and values through Java serialization, but "
                + object.getClass().getName()
                + " cannot be serialized ("
                + e
                + "); make it Serializable or configure the cache with setStoreByValue(false)",
            e);
      }
      return bytes.toByteArray();
    }

    private Object deserialize(byte[] bytes) {
      try (ObjectInputStream in = new LoaderInputStream(new ByteArrayInputStream(bytes), loader)) {
        return in.readObject();
      } catch (IOException | ClassNotFoundException e) {
        throw new CacheException(
            "a stored copy could not be read back with the cache's class loader: " + e, e);
      }
    }
  }

  /** Resolves classes with the cache's class loader, as the specification asks. */
  private static final class LoaderInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException notThere) {
        return super.resolveClass(desc);
      }
    }
  }
}
