package io.headroom.agent.driver.snmp;

import io.headroom.testkit.TestPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code snmpsim} ({@code snmpsimd}, SNMP Simulator 0.4) serving the {@code .snmprec} files of a
 * data dir on a free loopback UDP port. Each file is served under the community named after it
 * ({@code apc-8641.snmprec} → {@code apc-8641}). Run as root it must drop to {@code nobody}, so then
 * the data and cache dirs are made readable (and the cache writable) for it.
 *
 * <p>A missing binary skips the test, unless {@code -Dheadroom.peers=required}, where it fails.
 */
final class Snmpsim implements AutoCloseable {

    private static final int ATTEMPTS = 5;
    private static final int LOG_LIMIT = 64 * 1024;

    private final Process process;
    private final int port;
    private final StringBuilder log = new StringBuilder();

    private Snmpsim(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Snmpsim start(Path dir, Path dataDir) throws IOException, InterruptedException {
        Path binary = TestPeers.require("snmpsimd", "snmpsim", Path.of("/usr/bin/snmpsimd"));
        boolean root = isRoot();
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path cache = Files.createDirectories(dir.resolve("snmpsim-cache-" + attempt));
            List<String> command = new ArrayList<>(List.of(
                    binary.toString(),
                    "--data-dir=" + dataDir,
                    "--cache-dir=" + cache,
                    "--agent-udpv4-endpoint=127.0.0.1:" + port));
            if (root) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
                command.add("--process-user=nobody");
                command.add("--process-group=nogroup");
            }
            Snmpsim sim = new Snmpsim(
                    new ProcessBuilder(command).redirectErrorStream(true).start(), port);
            if (sim.awaitReady()) {
                return sim;
            }
            sim.close();
            if (attempt == ATTEMPTS) {
                throw new IOException("snmpsimd did not start after " + ATTEMPTS + " ports: " + sim.log());
            }
        }
    }

    /** True once snmpsimd said it listens (after indexing the data files), false if it exited first. */
    private boolean awaitReady() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            synchronized (log) {
                                if (log.length() < LOG_LIMIT) {
                                    log.append(line).append('\n');
                                }
                            }
                            if (line.contains("Listening at UDP/IPv4 endpoint")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException e) {
                        synchronized (log) {
                            log.append("(log read failed: ")
                                    .append(e.getMessage())
                                    .append(")\n");
                        }
                    }
                },
                "snmpsim-log");
        reader.setDaemon(true);
        reader.start();
        while (!ready.await(50, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive()) {
                return false;
            }
        }
        return process.isAlive();
    }

    int port() {
        return port;
    }

    String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // effective uid
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
