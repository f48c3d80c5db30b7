package io.freshcache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback between one client and Redis, which a test can cut (every connection
 * through it is closed, and new ones are closed as soon as they are accepted: a network partition
 * as the client sees it) and heal, or whose replies it can hold back (Redis still reads and runs
 * what the client sends; the client hears nothing until they are let through), and record what
 * clients send from a moment on. Each connection is two threads copying bytes.
 */
final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean cut;
  private volatile boolean closed;
  private final Object replies = new Object();
  private boolean holding;
  private java.io.ByteArrayOutputStream sent; // guarded by replies; null: not recording

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String uri() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /** Closes every connection through the proxy and refuses new ones until {@link #heal}. */
  void cut() {
    cut = true;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  void heal() {
    cut = false;
  }

  /** From now on, what Redis answers waits in the proxy until {@link #releaseReplies}. */
  void holdReplies() {
    synchronized (replies) {
      holding = true;
    }
  }

  void releaseReplies() {
    synchronized (replies) {
      holding = false;
      replies.notifyAll();
    }
  }

  /** From now on, what clients send is recorded (and what was recorded before is dropped). */
  void recordSent() {
    synchronized (replies) {
      sent = new java.io.ByteArrayOutputStream();
    }
  }

  /** What clients sent since {@link #recordSent}, as text (RESP is mostly ASCII). */
  String sent() {
    synchronized (replies) {
      return sent == null ? "" : sent.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        open.add(client);
        open.add(upstream);
        pipe(client, upstream, false);
        pipe(upstream, client, true);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pipe(Socket from, Socket to, boolean toClient) {
    Thread copier =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (toClient) {
                    awaitRelease();
                  } else {
                    record(buffer, n);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException closedEitherWay) {
                // the other side or the test closed it
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-proxy-pipe");
    copier.setDaemon(true);
    copier.start();
  }

  private void record(byte[] buffer, int n) {
    synchronized (replies) {
      if (sent != null) {
        sent.write(buffer, 0, n);
      }
    }
  }

  private void awaitRelease() throws java.io.InterruptedIOException {
    synchronized (replies) {
      while (holding && !closed) {
        try {
          replies.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while holding replies");
        }
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    releaseReplies();
    cut();
    server.close();
  }
}
