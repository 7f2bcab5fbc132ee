package io.headroom.agent.publish;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that can be cut like a partition: while cut, bytes in both directions are
 * swallowed and the sockets stay open (no FIN, no RST: what an {@code nft … drop} rule does), so
 * only a keep-alive can tell. {@link #heal()} lets new connections through; connections made
 * before the cut stay dead, as they would after a real partition outlived their peers' timers.
 */
final class BlackholeProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile int epoch;
    private volatile boolean cut;

    BlackholeProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int acceptedConnections() {
        return accepted.get();
    }

    /** From now on nothing passes, in either direction, on any existing connection. */
    void cut() {
        cut = true;
    }

    /** New connections pass again; the ones cut stay silent. */
    void heal() {
        epoch++;
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(upstream);
                int born = epoch;
                pump(client, upstream, born);
                pump(upstream, client, born);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, int born) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            if (!cut && epoch == born) {
                                out.write(buffer, 0, n);
                                out.flush();
                            }
                        }
                        to.shutdownOutput();
                    } catch (IOException e) {
                        // The other side closed: nothing more to forward.
                    }
                },
                "blackhole-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
