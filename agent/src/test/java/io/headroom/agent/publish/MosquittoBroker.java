package io.headroom.agent.publish;

import io.headroom.testkit.TestPeers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Debian {@code mosquitto} on a free loopback port, for tests. Mosquitto cannot bind port 0, so
 * a free port is picked with a {@link ServerSocket} and another is tried if the broker loses the
 * race for it. Sessions persist across {@link #stop()} / {@link #start()} (a graceful stop writes
 * the store), so a subscriber with a persistent session misses nothing while the broker is down.
 *
 * <p>{@link #startTls} gives it a TLS listener only (no plaintext one), so nothing can reach it in
 * the clear.
 *
 * <p>A missing binary skips the test, unless {@code -Dheadroom.peers=required}, where it fails.
 */
public final class MosquittoBroker implements AutoCloseable {
    private static final int ATTEMPTS = 5;

    private final Path binary;
    private final Path dir;
    private final Tls tls;
    private int port;
    private Process process;

    private MosquittoBroker(Path binary, Path dir, Tls tls) {
        this.binary = binary;
        this.dir = dir;
        this.tls = tls;
    }

    /**
     * A TLS listener's files (PEM) and whether it demands a client certificate signed by
     * {@code caFile} ({@code require_certificate}).
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, boolean requireCertificate) {}

    /** Starts a broker whose config, store and log live in {@code dir}. */
    public static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, null);
    }

    /** Starts a broker with one listener, TLS only. */
    public static MosquittoBroker startTls(Path dir, Tls tls) throws IOException, InterruptedException {
        return start(dir, tls);
    }

    private static MosquittoBroker start(Path dir, Tls tls) throws IOException, InterruptedException {
        MosquittoBroker broker = new MosquittoBroker(requireBinary(), dir, tls);
        for (int attempt = 1; ; attempt++) {
            broker.port = freePort();
            if (broker.launch()) {
                return broker;
            }
            if (attempt == ATTEMPTS) {
                throw new IOException(
                        "mosquitto did not start after " + ATTEMPTS + " ports; see " + dir.resolve("mosquitto.log"));
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:port}, or {@code ssl://…} for a TLS broker. */
    public String url() {
        return (tls == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
    }

    /** The broker's log so far, for tests that check what it saw. */
    public String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Stops the broker gracefully (SIGTERM): clients see the connection end, the store is saved. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** Starts the broker again on the same port. */
    public void start() throws IOException, InterruptedException {
        for (int attempt = 1; !launch(); attempt++) {
            if (attempt == ATTEMPTS) {
                throw new IOException("mosquitto did not restart on port " + port);
            }
            Thread.sleep(200); // The old socket may linger for a moment; nothing to await on.
        }
    }

    private boolean launch() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto.conf");
        String tlsLines = tls == null
                ? ""
                : String.join(
                        "\n",
                        "cafile " + tls.caFile().toAbsolutePath(),
                        "certfile " + tls.certFile().toAbsolutePath(),
                        "keyfile " + tls.keyFile().toAbsolutePath(),
                        "require_certificate " + tls.requireCertificate(),
                        "");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        tlsLines,
                        "allow_anonymous true",
                        // Run as root, mosquitto would drop to its own user, which cannot write the store here.
                        "user " + System.getProperty("user.name"),
                        "persistence true",
                        // FakeController subscribes at QoS 1 and, unlike ingest, never asks for a
                        // re-birth on a sequence gap, so the broker must not drop what it queues for
                        // it. Its default (1,000 queued per client) dropped part of a 3,000-message
                        // burst on a loaded 2-core CI machine (Debian's 2.0.11 forwards slowly to a
                        // QoS 1 subscriber); with 50 the same test fails every time.
                        "max_queued_messages 100000",
                        "persistence_location " + dir.toAbsolutePath() + "/",
                        "log_dest file " + dir.resolve("mosquitto.log").toAbsolutePath(),
                        "log_type error",
                        "log_type warning",
                        "log_type notice",
                        ""),
                StandardCharsets.UTF_8);
        process = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("mosquitto.out").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process = null;
                return false; // Most likely the port was taken after all.
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20); // Polling a process we cannot get a callback from.
            }
        }
        stop();
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path requireBinary() {
        return TestPeers.require("mosquitto", "mosquitto", Path.of("/usr/sbin/mosquitto"));
    }
}
