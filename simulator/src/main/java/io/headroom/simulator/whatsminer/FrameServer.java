package io.headroom.simulator.whatsminer;

import io.headroom.simulator.cgminer.RequestFramer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API port of a simulated Whatsminer: a loopback listener serving one request per connection, as the
 * firmware does (read the request, answer, close).
 *
 * <ul>
 *   <li>{@link Framing#V2}: the request is a JSON object (framed by its balanced braces, {@link
 *       RequestFramer}); the reply is raw JSON text, then the connection closes.</li>
 *   <li>{@link Framing#V3}: a 4-byte little-endian length and that many bytes of JSON, each way. A length
 *       above {@link #MAX_REQUEST_BYTES} is answered with an error frame and the connection closed; nothing
 *       is allocated for it.</li>
 * </ul>
 *
 * <p>A connection that has not sent a complete request within the idle timeout is closed (the firmware
 * closes after 10 s). At most {@link #MAX_CONNECTIONS} connections are served at once (the firmware allows
 * 16 clients); more are closed at once, so slow clients cannot take the port from others for longer than
 * the idle timeout. Nothing a client sends can stop the listener.
 */
final class FrameServer implements AutoCloseable {

    enum Framing {
        V2,
        V3
    }

    static final int MAX_REQUEST_BYTES = RequestFramer.MAX_REQUEST_BYTES;
    /** How long, and how much, a finished connection reads of what the client still sends before it closes. */
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(1);

    private static final long MAX_LINGER_BYTES = 1 << 20;
    static final int MAX_CONNECTIONS = 16;

    private static final Logger logger = LoggerFactory.getLogger(FrameServer.class);
    private static final byte[] GARBAGE = "\u0007<html>\u00ff\u00fe not json {{{".getBytes(StandardCharsets.ISO_8859_1);

    private final Framing framing;
    private final BiFunction<String, String, String> handler;
    private final WhatsminerFaults faults;
    private final ServerSocket server;
    private final Thread acceptor;
    private final ThreadPoolExecutor workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private volatile Duration idleTimeout;
    private volatile boolean closed;

    /**
     * @param handler (request JSON text, client address) → reply JSON text; must not throw
     */
    FrameServer(
            String name,
            Framing framing,
            BiFunction<String, String, String> handler,
            WhatsminerFaults faults,
            Duration idleTimeout)
            throws IOException {
        this.framing = framing;
        this.handler = handler;
        this.faults = faults;
        this.idleTimeout = idleTimeout;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.workers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-conn");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::accept, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    long requestsServed() {
        return requests.get();
    }

    void setIdleTimeout(Duration timeout) {
        this.idleTimeout = timeout;
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    logger.warn("accept failed", e);
                }
                return;
            }
            open.add(socket);
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                // Every slot is taken (by slow clients, say): this one is closed at once.
                close(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            long deadline = System.nanoTime() + idleTimeout.toNanos();
            String client = socket.getInetAddress().getHostAddress();
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String request = framing == Framing.V2 ? readV2(socket, in, deadline) : readV3(socket, in, out, deadline);
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            if (faults.hang()) {
                holdUntilClientGives(socket, in);
                return;
            }
            byte[] reply =
                    faults.garbage() ? GARBAGE : handler.apply(request, client).getBytes(StandardCharsets.UTF_8);
            if (framing == Framing.V3) {
                out.write(lengthPrefix(reply.length));
            }
            out.write(reply);
            out.flush();
            lingeringClose(socket, in);
        } catch (SocketTimeoutException e) {
            logger.debug("closing an idle connection");
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                logger.debug("connection ended: {}", e.toString());
            }
        } finally {
            open.remove(socket);
        }
    }

    /**
     * Ends the answer, then reads what the client is still sending (a request past the limit is answered
     * from its start) for a moment before the socket closes: closing with unread data resets the
     * connection, and a client still writing would get a broken pipe, or lose the answer, instead of it.
     */
    private static void lingeringClose(Socket socket, InputStream in) throws IOException {
        socket.shutdownOutput();
        socket.setSoTimeout((int) LINGER.toMillis());
        byte[] sink = new byte[8192];
        long left = MAX_LINGER_BYTES;
        try {
            int n;
            while (left > 0 && (n = in.read(sink)) >= 0) {
                left -= n;
            }
        } catch (SocketTimeoutException e) {
            // the client neither sends nor closes: enough waiting
        }
    }

    /** The request text, or null when the client sent nothing complete before closing. */
    private static String readV2(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        byte[] chunk = new byte[4096];
        while (true) {
            setRemaining(socket, deadline);
            int n = in.read(chunk);
            boolean end = n < 0;
            if (!end) {
                buffer.write(chunk, 0, Math.min(n, MAX_REQUEST_BYTES - buffer.size()));
            }
            byte[] bytes = buffer.toByteArray();
            int length = RequestFramer.completeLength(bytes, bytes.length, end || bytes.length >= MAX_REQUEST_BYTES);
            if (length > 0) {
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (length == 0 && !end) {
                return ""; // a plain-text request that ends at once (a leading NUL or newline): answered as invalid
            }
            if (end) {
                return null;
            }
        }
    }

    private static String readV3(Socket socket, InputStream in, OutputStream out, long deadline) throws IOException {
        byte[] header = new byte[4];
        if (!readFully(socket, in, header, deadline)) {
            return null;
        }
        long length =
                (header[0] & 0xFFL) | (header[1] & 0xFFL) << 8 | (header[2] & 0xFFL) << 16 | (header[3] & 0xFFL) << 24;
        if (length == 0 || length > MAX_REQUEST_BYTES) {
            byte[] error =
                    ("{\"code\":-2,\"msg\":\"invalid frame length " + length + "\"}").getBytes(StandardCharsets.UTF_8);
            out.write(lengthPrefix(error.length));
            out.write(error);
            out.flush();
            return null;
        }
        byte[] body = new byte[(int) length];
        if (!readFully(socket, in, body, deadline)) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static boolean readFully(Socket socket, InputStream in, byte[] into, long deadline) throws IOException {
        int have = 0;
        while (have < into.length) {
            setRemaining(socket, deadline);
            int n = in.read(into, have, into.length - have);
            if (n < 0) {
                return false;
            }
            have += n;
        }
        return true;
    }

    /** Hang fault: keep the connection, answer nothing, until the client closes or the server does. */
    private void holdUntilClientGives(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(0);
        byte[] sink = new byte[1024];
        while (!closed && in.read(sink) >= 0) {
            // discard
        }
    }

    private static void setRemaining(Socket socket, long deadline) throws IOException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw new SocketTimeoutException("idle");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
    }

    static byte[] lengthPrefix(int length) {
        return new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)};
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            logger.debug("closing listener: {}", e.toString());
        }
        for (Socket socket : open) {
            close(socket);
        }
        workers.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
