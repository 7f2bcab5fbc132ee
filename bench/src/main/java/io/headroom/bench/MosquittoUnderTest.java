package io.headroom.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto on a free loopback port, for the system bench's side-by-side run: anonymous
 * clients, no persistence, Receive Maximum 64 like the controller's endpoint. Mosquitto cannot bind
 * port 0, so a free port is picked and another tried if it loses the race for it.
 */
final class MosquittoUnderTest implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private MosquittoUnderTest(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static MosquittoUnderTest start(Path binary) throws IOException, InterruptedException {
        if (!Files.isExecutable(binary)) {
            throw new IOException(binary + " is missing: install Debian's mosquitto, or pass --no-mosquitto");
        }
        Path dir = Files.createTempDirectory("headroom-system-bench-mosquitto");
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(
                    config,
                    "listener " + port + " 127.0.0.1\n"
                            + "allow_anonymous true\n"
                            + "persistence false\n"
                            + "max_inflight_messages 64\n"
                            + "log_dest file " + dir.resolve("mosquitto.log") + "\n",
                    StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.out").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (process.isAlive() && System.nanoTime() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new MosquittoUnderTest(process, port, dir);
                } catch (IOException notYet) {
                    Thread.sleep(50); // polling for the listener, with a deadline
                }
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        throw new IOException("mosquitto did not start; see " + dir);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    long pid() {
        return process.pid();
    }

    /** Mosquitto's version line, e.g. {@code mosquitto version 2.0.11}. */
    static String version(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-h")
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        String first = text.lines().findFirst().orElse("?");
        return first.replaceAll(".*version ", "").replaceAll("\\s.*", "");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        TempDirs.delete(dir);
    }
}
