package io.headroom.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian {@code mosquitto} broker on a free loopback port, for the controller's external broker
 * tests: a generated config in a temp dir plus whatever lines the test adds ({@code password_file},
 * {@code acl_file}, {@code allow_anonymous}, the TLS files of {@link #tlsListener}). Mosquitto
 * cannot bind port 0, so a free port is picked and another tried if the broker loses the race for
 * it; {@link #stop()} and {@link #start()} keep the port, and persistence keeps sessions across them.
 *
 * <p>A missing binary skips the test, unless {@code -Dheadroom.peers=required}, where it fails.
 */
public final class MosquittoProcess implements AutoCloseable {
    private static final int ATTEMPTS = 5;

    private final Path binary;
    private final Path dir;
    private final List<String> extraLines;
    private int port;
    private Process process;

    private MosquittoProcess(Path binary, Path dir, List<String> extraLines) {
        this.binary = binary;
        this.dir = dir;
        this.extraLines = List.copyOf(extraLines);
    }

    /** Starts a broker whose config, store and log live in {@code dir}, with {@code extraLines} added to its config. */
    public static MosquittoProcess start(Path dir, String... extraLines) throws IOException, InterruptedException {
        MosquittoProcess broker = new MosquittoProcess(binary(), dir, List.of(extraLines));
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

    /** The mosquitto binary, or a skip (a failure with {@code headroom.peers=required}). */
    public static Path binary() {
        return TestPeers.require("mosquitto", "mosquitto", Path.of("/usr/sbin/mosquitto"));
    }

    /**
     * Writes a Mosquitto password file with {@code mosquitto_passwd} (from the same Debian package).
     *
     * @param usersAndPasswords user, password, user, password, ...
     */
    public static void writePasswordFile(Path file, String... usersAndPasswords)
            throws IOException, InterruptedException {
        Path tool = TestPeers.require("mosquitto_passwd", "mosquitto", Path.of("/usr/bin/mosquitto_passwd"));
        Files.writeString(file, "", StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < usersAndPasswords.length; i += 2) {
            Process passwd = new ProcessBuilder(
                            tool.toString(), "-b", file.toString(), usersAndPasswords[i], usersAndPasswords[i + 1])
                    .redirectErrorStream(true)
                    .start();
            String output = new String(passwd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!passwd.waitFor(30, TimeUnit.SECONDS) || passwd.exitValue() != 0) {
                throw new IOException("mosquitto_passwd failed for " + usersAndPasswords[i] + ": " + output);
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:port}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** {@code ssl://127.0.0.1:port}, for a broker started with {@link #tlsListener}. */
    public String sslUrl() {
        return "ssl://127.0.0.1:" + port;
    }

    /**
     * The lines that make the broker's one listener TLS only (PEM files; Mosquitto applies them to
     * the listener above them), and with {@code requireCertificate} demand a client certificate
     * signed by {@code caFile}.
     */
    public static List<String> tlsListener(Path caFile, Path certFile, Path keyFile, boolean requireCertificate) {
        return List.of(
                "cafile " + caFile.toAbsolutePath(),
                "certfile " + certFile.toAbsolutePath(),
                "keyfile " + keyFile.toAbsolutePath(),
                "require_certificate " + requireCertificate);
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
                throw new IOException(
                        "mosquitto did not restart on port " + port + "; see " + dir.resolve("mosquitto.log"));
            }
            Thread.sleep(200); // The old socket may linger for a moment; nothing to await on.
        }
    }

    private boolean launch() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto.conf");
        StringBuilder text = new StringBuilder()
                .append("listener ")
                .append(port)
                .append(" 127.0.0.1\n")
                // Run as root, mosquitto would drop to its own user, which cannot write the store here.
                .append("user ")
                .append(System.getProperty("user.name"))
                .append('\n')
                .append("persistence true\n")
                .append("persistence_location ")
                .append(dir.toAbsolutePath())
                .append("/\n")
                .append("log_dest file ")
                .append(dir.resolve("mosquitto.log").toAbsolutePath())
                .append('\n')
                .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
        extraLines.forEach(line -> text.append(line).append('\n'));
        Files.writeString(conf, text, StandardCharsets.UTF_8);
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
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
