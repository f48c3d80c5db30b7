package io.freshcache.spring;

import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Where cache changes made inside a Spring-managed transaction wait for its commit. Without
 * spring-tx on the classpath, or outside a transaction, there is nothing to wait for.
 */
final class AfterCommit {

  private static final boolean TX_PRESENT =
      ClassUtils.isPresent(
          "org.springframework.transaction.support.TransactionSynchronizationManager",
          AfterCommit.class.getClassLoader());

  private AfterCommit() {}

  /** Whether this thread is in a transaction whose commit cache changes must wait for. */
  static boolean active() {
    return TX_PRESENT && Tx.active();
  }

  /**
   * The changes {@code owner} has pending in this thread's transaction, created (and applied after
   * the commit, dropped on rollback) if {@code create}; null outside a transaction.
   */
  static PendingChanges pending(Object owner, boolean create, Supplier<PendingChanges> created) {
    return TX_PRESENT ? Tx.pending(owner, create, created) : null;
  }

  /** Runs {@code change} after this thread's transaction commits, or now if there is none. */
  static void run(Runnable change) {
    if (active()) {
      Tx.afterCommit(change);
    } else {
      change.run();
    }
  }

  /** The part that touches spring-tx, loaded only when it is there. */
  private static final class Tx {

    static boolean active() {
      return TransactionSynchronizationManager.isSynchronizationActive();
    }

    static PendingChanges pending(Object owner, boolean create, Supplier<PendingChanges> created) {
      if (!TransactionSynchronizationManager.isSynchronizationActive()) {
        return null;
      }
      PendingChanges pending =
          (PendingChanges) TransactionSynchronizationManager.getResource(owner);
      if (pending != null || !create) {
        return pending;
      }
      PendingChanges fresh = created.get();
      TransactionSynchronizationManager.bindResource(owner, fresh);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              fresh.apply();
            }

            @Override
            public void afterCompletion(int status) {
              TransactionSynchronizationManager.unbindResourceIfPossible(owner);
            }
          });
      return fresh;
    }

    static void afterCommit(Runnable change) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              change.run();
            }
          });
    }
  }
}
