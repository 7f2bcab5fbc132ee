package io.headroom.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * N load-generator agents ({@link LoadConnection}) spread over a few threads, each with a selector
 * of its own. Two modes: {@code max} sends as fast as acknowledgements allow (at most
 * {@code window} messages unacknowledged per connection, never more than the server's Receive
 * Maximum); {@code rate} sends each connection's messages at fixed times (open loop: a message
 * delayed by a full window or a slow generator is still timed from when it was due, so a stall is
 * not hidden by coordinated omission).
 *
 * <p>Only messages due inside the window {@link #measure} opens count towards the histograms and
 * totals, so the warm-up needs no reset across threads. Nothing is sent before {@link #begin}.
 */
final class LoadGenerator implements AutoCloseable {
    /** Messages per connection per second, or {@link Double#NaN} for as fast as acks allow. */
    private final double rate;

    private final List<LoadConnection> connections;
    private final List<Loop> loops = new ArrayList<>();
    /** Nothing counts until {@link #measure} opens the measured window. */
    private volatile long measureFrom = Long.MAX_VALUE;

    private volatile long measureUntil = Long.MAX_VALUE;
    private volatile boolean sending = true;
    private volatile boolean running = true;

    /** What one thread measured; merged by {@link #results}. */
    final class Window {
        final LatencyHistogram pubAck = new LatencyHistogram();
        final LatencyHistogram appAck = new LatencyHistogram();
        /** Due → the message's last byte handed to the kernel: the generator's own share of {@link #appAck}. */
        final LatencyHistogram sendLag = new LatencyHistogram();
        /** Last byte written → Ack read: the server's and the kernel's share. */
        final LatencyHistogram appAckAfterWrite = new LatencyHistogram();
        /** Last byte written → PUBACK read. */
        final LatencyHistogram pubAckAfterWrite = new LatencyHistogram();

        long sent;
        long acked;

        boolean contains(long due) {
            return due >= measureFrom && due < measureUntil;
        }
    }

    private LoadGenerator(List<LoadConnection> connections, double rate) {
        this.connections = connections;
        this.rate = rate;
    }

    /**
     * Opens every connection ({@code parallel} at a time: the controller checks one password at a
     * time, and a flood of CONNECTs would only queue) and makes {@code threads} sending threads,
     * which {@link #begin} starts.
     *
     * @param password null for a broker that takes anonymous clients
     * @param ackTopics per connection the topic its acks come on, or null (a plain broker: PUBACKs)
     */
    static LoadGenerator start(
            InetSocketAddress server,
            List<LoadConnection> connections,
            String password,
            List<String> ackTopics,
            int window,
            double rate,
            int threads,
            int parallel)
            throws IOException, InterruptedException {
        ExecutorService opener = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < connections.size(); i++) {
                LoadConnection c = connections.get(i);
                String ackTopic = ackTopics == null ? null : ackTopics.get(i);
                String user = password == null ? null : c.traffic.agent();
                opened.add(opener.submit(() -> {
                    c.open(server, user, password, ackTopic, window);
                    return null;
                }));
            }
            for (Future<?> f : opened) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException(
                            "a load connection did not open: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            opener.shutdownNow();
        }
        LoadGenerator generator = new LoadGenerator(connections, rate);
        for (int t = 0; t < threads; t++) {
            Loop loop = generator.new Loop(Selector.open());
            for (int i = t; i < connections.size(); i += threads) {
                LoadConnection c = connections.get(i);
                c.register(loop.selector);
                loop.mine.add(c);
            }
            generator.loops.add(loop);
        }
        return generator;
    }

    /** Starts sending; in rate mode the first messages are due now. */
    void begin() {
        long start = System.nanoTime();
        for (int i = 0; i < connections.size() && !Double.isNaN(rate); i++) {
            // Spread the connections' send times over one period rather than all at once.
            connections.get(i).schedule(start + Math.round(1e9 / rate * i / connections.size()), rate);
        }
        for (Loop loop : loops) {
            loop.thread.start();
        }
    }

    /** From now on counts only what is due in [{@code fromNanos}, {@code untilNanos}). */
    void measure(long fromNanos, long untilNanos) {
        measureFrom = fromNanos;
        measureUntil = untilNanos;
    }

    /**
     * Stops sending and waits up to {@code timeoutMs} until every message sent has been
     * acknowledged; false if some were not.
     */
    boolean drain(long timeoutMs) throws InterruptedException {
        sending = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (failure() != null) {
                return false;
            }
            if (loops.stream().allMatch(l -> l.settled)) {
                return true;
            }
            Thread.sleep(20); // polling a condition set by the loops, with a deadline
        }
        return false;
    }

    /** The first failure of a connection or a loop, or null. */
    String failure() {
        for (Loop loop : loops) {
            if (loop.failure != null) {
                return loop.failure;
            }
        }
        return null;
    }

    long dataSent() {
        return loops.stream().mapToLong(l -> l.dataSent).sum();
    }

    /** Messages due but not sent yet, over every connection, as of the loops' last pass (rate mode). */
    long backlog() {
        return loops.stream().mapToLong(l -> l.backlog).sum();
    }

    long rebirths() {
        return connections.stream().mapToLong(c -> c.rebirths).sum();
    }

    /** The windows of all threads merged; call after {@link #close}. */
    Window results() {
        Window all = new Window();
        for (Loop loop : loops) {
            all.pubAck.add(loop.window.pubAck);
            all.appAck.add(loop.window.appAck);
            all.sendLag.add(loop.window.sendLag);
            all.appAckAfterWrite.add(loop.window.appAckAfterWrite);
            all.pubAckAfterWrite.add(loop.window.pubAckAfterWrite);
            all.sent += loop.window.sent;
            all.acked += loop.window.acked;
        }
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Loop loop : loops) {
            loop.selector.wakeup();
            if (loop.thread.isAlive()) {
                loop.thread.join(10_000);
            }
        }
        for (LoadConnection c : connections) {
            c.close();
        }
    }

    private final class Loop implements Runnable {
        final Selector selector;
        final List<LoadConnection> mine = new ArrayList<>();
        final Window window = new Window();
        final Thread thread = new Thread(this, "load-generator");
        volatile boolean settled;
        volatile long dataSent;
        volatile long backlog;
        volatile String failure;

        Loop(Selector selector) {
            this.selector = selector;
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            boolean rateMode = !Double.isNaN(rate);
            try {
                while (running) {
                    long now = System.nanoTime();
                    long nextDue = Long.MAX_VALUE;
                    boolean allSettled = true;
                    long sent = 0;
                    long held = 0;
                    for (LoadConnection c : mine) {
                        if (sending) {
                            c.pump(now, rateMode, window);
                        } else {
                            c.flush(window);
                        }
                        if (!c.heldByWindow(now)) {
                            // A connection the window holds back sends when its ack is read, not at a time.
                            nextDue = Math.min(nextDue, c.nextDue());
                        }
                        allSettled &= c.settled();
                        sent += c.dataSent;
                        held += c.backlog(now);
                    }
                    dataSent = sent;
                    backlog = held;
                    settled = !sending && allSettled;
                    if (!rateMode || !sending) {
                        selector.select(sending ? 10 : 5);
                    } else {
                        long wait = nextDue - System.nanoTime();
                        if (nextDue == Long.MAX_VALUE) {
                            // Every connection's window is full (an overload's backlog): wait for an ack
                            // rather than spin, which would take a core from the server on a small machine.
                            selector.select(10);
                        } else if (wait <= 0) {
                            // Due while the other connections were pumped: send it now. (This used to wait
                            // up to 10 ms for an ack, and put 10 ms into both servers' p99 at low rates.)
                            selector.selectNow();
                        } else if (wait >= 2_000_000) {
                            selector.select(wait / 1_000_000 - 1);
                        } else if (selector.selectNow() == 0 && wait > 0) {
                            // Under a millisecond to the next send: select's timeout is too coarse.
                            LockSupport.parkNanos(Math.min(wait, 50_000));
                        }
                    }
                    long at = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        LoadConnection c = (LoadConnection) key.attachment();
                        if (key.isReadable() && !c.read(at, window)) {
                            failure = c.failure;
                            return;
                        }
                        if (key.isValid() && key.isWritable()) {
                            c.flush(window);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | RuntimeException e) {
                failure = "load generator: " + e;
            }
        }
    }
}
