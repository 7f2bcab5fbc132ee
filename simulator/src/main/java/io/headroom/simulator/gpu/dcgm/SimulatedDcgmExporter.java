package io.headroom.simulator.gpu.dcgm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A dcgm-exporter on loopback: {@code GET /metrics} answers the Prometheus text exposition of the
 * GPUs the supplier reports at that moment ({@link DcgmExposition}), as
 * {@code text/plain; version=0.0.4; charset=utf-8}, one request per connection.
 *
 * <p>Bounded like a real listener should be: a request head of at most {@value #MAX_HEAD_BYTES}
 * bytes that must arrive within {@link #HEAD_DEADLINE}, at most {@value #MAX_CONNECTIONS}
 * connections served at once (more are closed at once), only {@code GET} and {@code HEAD} of
 * {@code /metrics} (others get 405 / 404). A request body is never read.
 *
 * <p>Faults for the driver tests ({@link #mode(Mode)}): {@link Mode#SLOW} answers after
 * {@link #slowDelay(Duration)}, {@link Mode#HANG} reads the request and never answers (until
 * closed), {@link Mode#GARBAGE} answers 200 with random bytes that are not the format,
 * {@link Mode#OVERSIZE} answers a well-formed exposition of {@code oversizeBytes} bytes. Blank
 * sentinels come from the samples themselves (a {@code NaN} field).
 */
public final class SimulatedDcgmExporter implements AutoCloseable {

    /** What a request gets. */
    public enum Mode {
        NORMAL,
        SLOW,
        HANG,
        GARBAGE,
        OVERSIZE
    }

    static final int MAX_HEAD_BYTES = 8 * 1024;
    static final Duration HEAD_DEADLINE = Duration.ofSeconds(5);
    static final int MAX_CONNECTIONS = 16;

    private final Supplier<List<GpuSample>> gpus;
    private final String hostname;
    private final ServerSocket listener;
    private final ExecutorService workers;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger scrapes = new AtomicInteger();
    private final Thread acceptor;
    private volatile Mode mode = Mode.NORMAL;
    private volatile Duration slowDelay = Duration.ofSeconds(2);
    private volatile int oversizeBytes = 16 << 20;
    private volatile CountDownLatch requested = new CountDownLatch(1);

    /**
     * Starts listening on a free loopback port.
     *
     * @param gpus what the GPUs report, asked once per scrape
     * @param hostname the {@code Hostname} label
     */
    public SimulatedDcgmExporter(Supplier<List<GpuSample>> gpus, String hostname) throws IOException {
        this.gpus = Objects.requireNonNull(gpus, "gpus");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.workers = Executors.newFixedThreadPool(MAX_CONNECTIONS, r -> {
            Thread t = new Thread(r, "sim-dcgm-" + listener.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "sim-dcgm-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>/metrics}. */
    public URI uri() {
        return URI.create("http://" + listener.getInetAddress().getHostAddress() + ":" + port() + "/metrics");
    }

    public void mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public void slowDelay(Duration delay) {
        this.slowDelay = Objects.requireNonNull(delay, "delay");
    }

    public void oversizeBytes(int bytes) {
        this.oversizeBytes = bytes;
    }

    /** Requests whose head was read, whatever they asked. */
    public int requests() {
        return requests.get();
    }

    /** Scrapes of {@code /metrics} answered (or held, in HANG). */
    public int scrapes() {
        return scrapes.get();
    }

    /** Waits until a request head has been read since the last call. */
    public boolean awaitRequest(Duration timeout) throws InterruptedException {
        CountDownLatch latch = requested;
        boolean seen = latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        requested = new CountDownLatch(1);
        return seen;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!slots.tryAcquire()) {
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            try {
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        open.remove(socket);
                        closeQuietly(socket);
                        slots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                open.remove(socket);
                closeQuietly(socket);
                slots.release();
            }
        }
    }

    private void serve(Socket socket) {
        try {
            String head = readHead(socket);
            if (head == null) {
                return;
            }
            requests.incrementAndGet();
            requested.countDown();
            String[] request = head.lines().findFirst().orElse("").split(" ", -1);
            OutputStream out = socket.getOutputStream();
            if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
                respond(out, 400, "Bad Request", "text/plain", "malformed request line\n", false);
                return;
            }
            String method = request[0];
            String path = request[1];
            int query = path.indexOf('?');
            if (query >= 0) {
                path = path.substring(0, query);
            }
            if (!path.equals("/metrics")) {
                respond(out, 404, "Not Found", "text/plain", "404 page not found\n", false);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                respond(out, 405, "Method Not Allowed", "text/plain", "method not allowed\n", false);
                return;
            }
            scrapes.incrementAndGet();
            boolean headOnly = method.equals("HEAD");
            switch (mode) {
                case HANG:
                    closedLatch.await();
                    return;
                case SLOW:
                    if (closedLatch.await(slowDelay.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    respond(out, 200, "OK", CONTENT_TYPE, DcgmExposition.render(gpus.get(), hostname), headOnly);
                    return;
                case GARBAGE:
                    byte[] junk = new byte[2048];
                    new Random(requests.get()).nextBytes(junk);
                    respondBytes(out, 200, "OK", CONTENT_TYPE, junk, headOnly);
                    return;
                case OVERSIZE:
                    respondOversize(out, headOnly);
                    return;
                default:
                    respond(out, 200, "OK", CONTENT_TYPE, DcgmExposition.render(gpus.get(), hostname), headOnly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // a client that went away, or a supplier that failed: this connection only
        }
    }

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The request head up to the blank line, or null for a client that sent too much or too slowly. */
    private static String readHead(Socket socket) throws IOException {
        long deadline = System.nanoTime() + HEAD_DEADLINE.toNanos();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (b < 0) {
                return null;
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                respond(
                        socket.getOutputStream(),
                        431,
                        "Request Header Fields Too Large",
                        "text/plain",
                        "request head over " + MAX_HEAD_BYTES + " bytes\n",
                        false);
                return null;
            }
            if (b == '\n' && endsWithBlankLine(head)) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        return (n >= 2 && bytes[n - 1] == '\n' && bytes[n - 2] == '\n')
                || (n >= 4
                        && bytes[n - 1] == '\n'
                        && bytes[n - 2] == '\r'
                        && bytes[n - 3] == '\n'
                        && bytes[n - 4] == '\r');
    }

    private static void respond(OutputStream out, int status, String text, String type, String body, boolean headOnly)
            throws IOException {
        respondBytes(out, status, text, type, body.getBytes(StandardCharsets.UTF_8), headOnly);
    }

    private static void respondBytes(
            OutputStream out, int status, String text, String type, byte[] body, boolean headOnly) throws IOException {
        String head = "HTTP/1.1 " + status + " " + text + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            out.write(body);
        }
        out.flush();
    }

    private void respondOversize(OutputStream out, boolean headOnly) throws IOException {
        int size = oversizeBytes;
        byte[] line = "DCGM_FI_DEV_SM_CLOCK{gpu=\"0\",UUID=\"GPU-0\"} 1410\n".getBytes(StandardCharsets.US_ASCII);
        int lines = Math.max(1, size / line.length);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: " + CONTENT_TYPE + "\r\nContent-Length: "
                + ((long) lines * line.length) + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (headOnly) {
            out.flush();
            return;
        }
        for (int i = 0; i < lines; i++) {
            out.write(line);
        }
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }

    /** Stops listening and drops every open connection. Idempotent. */
    @Override
    public void close() {
        closedLatch.countDown();
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        workers.shutdownNow();
    }

    /** For tests of the listener itself: whether a socket error ends the acceptor. */
    boolean accepting() {
        return acceptor.isAlive();
    }
}
