package io.freshcache.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of one port, so a test can cut every connection through it at
 * once, as a network fault would, while the server behind it runs on. For a bus's fault tests:
 * point the bus at {@link #port()} instead of the server's port.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;
  private volatile boolean refusing;

  /**
   * Listens on loopback {@code port} ({@code 0}: any free one) and forwards to loopback {@code
   * target}.
   */
  public TcpProxy(int port, int target) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    this.target = target;
    this.acceptor = new Thread(this::accept, "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the proxy listens on. */
  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (refusing) {
          quietly(client);
          continue;
        }
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        } catch (IOException refused) {
          client.close();
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                }
              } catch (IOException closedOrCut) {
                // the other side went, or the test cut it
              } finally {
                quietly(from);
                quietly(to);
              }
            },
            "tcp-proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  /** Cuts every connection through the proxy; new ones are accepted as before. */
  public void cut() {
    for (Socket socket : sockets) {
      quietly(socket);
    }
    sockets.clear();
  }

  /** While true, every new connection is closed at once: the network between is down. */
  public void refuse(boolean refuse) {
    refusing = refuse;
    if (refuse) {
      cut();
    }
  }

  private static void quietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    cut();
  }
}
