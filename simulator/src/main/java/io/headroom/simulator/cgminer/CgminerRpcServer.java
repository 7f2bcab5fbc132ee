package io.headroom.simulator.cgminer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the CGMiner-family API for any number of simulated miners from one selector thread: each miner
 * gets its own TCP listener ({@link #listen}), all multiplexed, so thousands of miners cost one thread.
 *
 * <p>Per connection, as cgminer does: read one request (JSON object, or {@code cmd|param} plain text, at most
 * {@value RequestFramer#MAX_REQUEST_BYTES} bytes), write the reply, close. Garbage is answered with an error
 * status, an oversize request as invalid JSON; a connection that sends nothing complete within
 * {@value #IDLE_TIMEOUT_SECONDS} s is closed. Nothing a client sends can stop the selector thread.
 * {@link #close()} is idempotent and closes every listener and connection.
 */
public final class CgminerRpcServer implements AutoCloseable {
    static final long IDLE_TIMEOUT_SECONDS = 30;
    private static final Logger logger = LoggerFactory.getLogger(CgminerRpcServer.class);
    private static final long IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(IDLE_TIMEOUT_SECONDS);
    private static final int INITIAL_BUFFER = 1024;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final int BACKLOG = 128;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Selector thread only. */
    private final Set<Connection> connections = new HashSet<>();

    private final SplittableRandom garbageRandom = new SplittableRandom(0x5EED);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong droppedConnections = new AtomicLong();
    private volatile boolean closed;

    private CgminerRpcServer(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts a server whose selector thread has the given name. */
    public static CgminerRpcServer start(String threadName) throws IOException {
        CgminerRpcServer server = new CgminerRpcServer(Objects.requireNonNull(threadName, "threadName"));
        server.thread.start();
        return server;
    }

    /**
     * Binds a listener for one miner and serves it. Port 0 picks a free port; see {@link RpcListener#port()}.
     *
     * @throws IOException when the address cannot be bound
     */
    public RpcListener listen(InetSocketAddress bindAddress, RpcHandler handler, Faults faults) throws IOException {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(faults, "faults");
        if (closed) {
            throw new IllegalStateException("server is closed");
        }
        ServerSocketChannel channel = bind(bindAddress);
        RpcListener listener = new RpcListener(this, (InetSocketAddress) channel.getLocalAddress(), handler, faults);
        runOnSelector(() -> listener.register(channel));
        faults.attach(listener::applyRefuse);
        return listener;
    }

    /** Requests answered so far (including error replies). */
    public long requestsServed() {
        return requests.get();
    }

    /** Connections closed because of an I/O error, timeout or handler failure. */
    public long droppedConnections() {
        return droppedConnections.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, BACKLOG);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Registers a bound listener channel; selector thread only. */
    SelectionKey register(ServerSocketChannel channel, RpcListener listener) throws IOException {
        return channel.register(selector, SelectionKey.OP_ACCEPT, listener);
    }

    /** Closes every connection accepted by {@code listener}; selector thread only. */
    void closeConnectionsOf(RpcListener listener) {
        for (Connection connection : new ArrayList<>(connections)) {
            if (connection.listener == listener) {
                connection.close();
            }
        }
    }

    /** Makes the selector drop cancelled keys now, so closed listeners release their ports; selector thread. */
    void flushCancelledKeys() {
        try {
            selector.selectNow();
        } catch (IOException e) {
            logger.debug("selectNow: {}", e.toString());
        }
    }

    boolean onSelectorThread() {
        return Thread.currentThread() == thread;
    }

    void runOnSelector(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the selector thread and waits for it (inline when already there). */
    void runOnSelectorAndWait(IoTask task) {
        if (onSelectorThread()) {
            try {
                task.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        runOnSelector(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the RPC server", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("RPC server did not run the task within 5 s", e);
        }
    }

    @FunctionalInterface
    interface IoTask {
        void run() throws IOException;
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(1000);
                runTasks();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
                closeIdle(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            logger.error("CGMiner RPC server {} stopped: selector failed", thread.getName(), e);
        } finally {
            shutdown();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                logger.warn("CGMiner RPC server task failed", e);
            }
        }
    }

    private void handle(SelectionKey key) {
        Object attachment = key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                accept((RpcListener) attachment, (ServerSocketChannel) key.channel());
                return;
            }
            Connection connection = (Connection) attachment;
            if (key.isReadable()) {
                connection.onReadable();
            }
            if (key.isValid() && key.isWritable()) {
                connection.onWritable();
            }
        } catch (IOException | CancelledKeyException e) {
            if (attachment instanceof Connection connection) {
                droppedConnections.incrementAndGet();
                logger.debug("connection on {} dropped: {}", connection.listener.address(), e.toString());
                connection.close();
            } else {
                // Accept failures (e.g. out of file descriptors) are retried on the next wakeup.
                droppedConnections.incrementAndGet();
                logger.debug("accept on {} failed: {}", attachment, e.toString());
            }
        } catch (RuntimeException e) {
            // A bug in reply building must not take the other miners down with it.
            if (attachment instanceof Connection connection) {
                droppedConnections.incrementAndGet();
                logger.warn("request on {} failed; connection closed", connection.listener.address(), e);
                connection.close();
            } else {
                logger.warn("CGMiner RPC server failed handling a key", e);
            }
        }
    }

    private void accept(RpcListener listener, ServerSocketChannel serverChannel) throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel = serverChannel.accept();
            if (channel == null) {
                return;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection connection = new Connection(listener, channel);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
            } catch (IOException e) {
                droppedConnections.incrementAndGet();
                channel.close();
            }
        }
    }

    private void closeIdle(long nowNanos) {
        if (connections.isEmpty()) {
            return;
        }
        List<Connection> expired = new ArrayList<>();
        for (Connection connection : connections) {
            if (!connection.hanging && nowNanos - connection.openedNanos > IDLE_TIMEOUT_NANOS) {
                expired.add(connection);
            }
        }
        for (Connection connection : expired) {
            droppedConnections.incrementAndGet();
            connection.close();
        }
    }

    private void shutdown() {
        closed = true;
        runTasks();
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                logger.debug("closing channel: {}", e.toString());
            }
        }
        connections.clear();
        try {
            selector.close();
        } catch (IOException e) {
            logger.debug("closing selector: {}", e.toString());
        }
    }

    /** One accepted client connection; selector thread only. */
    private final class Connection {
        final RpcListener listener;
        final SocketChannel channel;
        final long openedNanos = System.nanoTime();
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
        ByteBuffer out;
        boolean hanging;

        Connection(RpcListener listener, SocketChannel channel) {
            this.listener = listener;
            this.channel = channel;
            this.hanging = listener.faults().hang();
        }

        void onReadable() throws IOException {
            if (out != null) {
                return;
            }
            if (!in.hasRemaining()) {
                in = grow(in);
            }
            int n = channel.read(in);
            boolean endOfStream = n < 0;
            if (hanging) {
                // Accept and read, never answer; let go only when the client does.
                in.clear();
                if (endOfStream) {
                    close();
                }
                return;
            }
            int length = RequestFramer.completeLength(in.array(), in.position(), endOfStream);
            if (length < 0) {
                if (endOfStream) {
                    close();
                }
                return;
            }
            if (length == 0) {
                close();
                return;
            }
            respond(new String(in.array(), 0, length, StandardCharsets.UTF_8));
        }

        private ByteBuffer grow(ByteBuffer buffer) {
            int capacity = Math.min(buffer.capacity() * 2, RequestFramer.MAX_REQUEST_BYTES);
            ByteBuffer bigger = ByteBuffer.allocate(capacity);
            buffer.flip();
            bigger.put(buffer);
            return bigger;
        }

        private void respond(String request) throws IOException {
            requests.incrementAndGet();
            Faults faults = listener.faults();
            byte[] reply;
            if (faults.garbage()) {
                reply = new byte[64 + garbageRandom.nextInt(448)];
                for (int i = 0; i < reply.length; i++) {
                    reply[i] = (byte) garbageRandom.nextInt(256);
                }
                reply[0] = (byte) 0xff; // never a valid start of JSON
            } else {
                com.fasterxml.jackson.databind.node.ObjectNode node =
                        listener.handler().handle(request);
                if (node == null) {
                    // The handler answers with silence (a restarting unit): close without a byte.
                    finish();
                    return;
                }
                reply = ReplyEncoder.encode(node, faults.quirks());
            }
            out = ByteBuffer.wrap(reply);
            key.interestOps(SelectionKey.OP_WRITE);
            onWritable();
        }

        void onWritable() throws IOException {
            channel.write(out);
            if (!out.hasRemaining()) {
                finish();
            }
        }

        /** Reads away what the client sent beyond the request so closing does not reset the reply. */
        private void finish() throws IOException {
            in.clear();
            for (int i = 0; i < 16 && channel.read(in) > 0; i++) {
                in.clear();
            }
            channel.shutdownOutput();
            close();
        }

        void close() {
            connections.remove(this);
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException e) {
                logger.debug("closing connection: {}", e.toString());
            }
        }
    }
}
