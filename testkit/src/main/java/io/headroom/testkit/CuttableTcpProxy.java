package io.headroom.testkit;

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
 * A TCP proxy on a free loopback port whose connections a test can cut at once, the way a pulled
 * cable, a failing switch port or a dead peer looks from either end: no MQTT DISCONNECT, the
 * sockets are reset. New connections are accepted after a cut.
 */
public final class CuttableTcpProxy implements AutoCloseable {
    /** Bytes of one connection's client side kept for {@link #requests()}; the rest is passed on only. */
    private static final int MAX_RECORDED = 64 * 1024;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public CuttableTcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code targetPort} on the loopback address. */
    public CuttableTcpProxy(int targetPort) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far, including ones already cut. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /**
     * What the client side of each finished connection sent, as ISO-8859-1 text, in the order the
     * connections ended: for a one-request-per-connection protocol (the CGMiner RPC) the device's
     * own record of every request it received through this proxy.
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Resets every open connection on both sides. */
    public void cutAll() {
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0); // RST: as abrupt as it gets
                socket.close();
            } catch (IOException ignored) {
                // Already gone.
            }
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2_000);
                } catch (IOException refused) {
                    client.close(); // The target is down: the client sees its connection end.
                    continue;
                }
                open.add(client);
                open.add(upstream);
                accepted.incrementAndGet();
                pipe(client, upstream, requests, true);
                pipe(upstream, client, requests, false);
            } catch (IOException e) {
                // The listener was closed.
            }
        }
    }

    private static void pipe(Socket from, Socket to, List<String> record, boolean keep) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            if (keep && sent.size() < MAX_RECORDED) {
                                sent.write(buffer, 0, Math.min(n, MAX_RECORDED - sent.size()));
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // One side went away; the close below ends the other.
                    } finally {
                        if (keep && sent.size() > 0) {
                            record.add(sent.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
                        }
                        try {
                            to.close();
                        } catch (IOException ignored) {
                            // Already gone.
                        }
                    }
                },
                "test-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops accepting and resets what is still open. */
    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
