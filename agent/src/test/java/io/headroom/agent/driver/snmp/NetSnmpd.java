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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Debian Net-SNMP {@code snmpd} on a free loopback UDP port, for tests: its config (USM users made with
 * {@code createUser}) and its persistent store live in the test's temp dir, it reads no system config
 * ({@code -C}), logs to stdout ({@code -Lo}) and runs in the foreground ({@code -f}). It needs no root: the
 * port is above 1024 and every file is the test's.
 *
 * <p>A missing binary skips the test, unless {@code -Dheadroom.peers=required}, where it fails.
 */
final class NetSnmpd implements AutoCloseable {

    private static final int ATTEMPTS = 5;

    private final Process process;
    private final int port;
    private final StringBuffer log = new StringBuffer();

    private NetSnmpd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts snmpd with {@code config} (lines of snmpd.conf without {@code agentAddress}).
     *
     * @throws IOException when it does not come up on any of a few free ports
     */
    static NetSnmpd start(Path dir, List<String> config) throws IOException, InterruptedException {
        Path binary = TestPeers.require("snmpd", "snmpd", Path.of("/usr/sbin/snmpd"));
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path run = Files.createDirectories(dir.resolve("snmpd-" + attempt));
            Path conf = Files.createDirectories(run.resolve("conf")).resolve("snmpd.conf");
            Path persistent = Files.createDirectories(run.resolve("persistent"));
            StringBuilder text = new StringBuilder("agentAddress udp:127.0.0.1:" + port + "\n");
            config.forEach(line -> text.append(line).append('\n'));
            Files.writeString(conf, text.toString(), StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(
                            binary.toString(),
                            "-f",
                            "-Lo",
                            "-C",
                            "-c",
                            conf.toString(),
                            "-I",
                            "-smux",
                            "-p",
                            run.resolve("snmpd.pid").toString())
                    .redirectErrorStream(true);
            builder.environment().put("SNMP_PERSISTENT_DIR", persistent.toString());
            builder.environment().put("MIBS", "");
            NetSnmpd snmpd = new NetSnmpd(builder.start(), port);
            if (snmpd.awaitReady()) {
                return snmpd;
            }
            snmpd.close();
            if (attempt == ATTEMPTS) {
                throw new IOException("snmpd did not start after " + ATTEMPTS + " ports: " + snmpd.log());
            }
        }
    }

    /** True once snmpd logged its version banner (it does after binding), false if it exited first. */
    private boolean awaitReady() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            log.append(line).append('\n');
                            if (line.startsWith("NET-SNMP version")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException e) {
                        log.append("(log read failed: ").append(e.getMessage()).append(")\n");
                    }
                },
                "snmpd-log");
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
        return log.toString();
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
