package io.headroom.agent.transport.serial;

import io.headroom.testkit.TestPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two pseudo-terminals joined by Debian's {@code socat}, standing for an RS-485 line: what is written
 * to one end is read at the other. Both ends are reached through symbolic links in a test's folder
 * ({@code bus} and {@code device}), as a real adapter is through {@code /dev/serial/by-id/…}; socat
 * removes the links when it stops, as the kernel removes the device of an unplugged adapter.
 *
 * <p>A missing socat skips the test, unless {@code -Dheadroom.peers=required}, where it fails.
 */
public final class SocatPtyPair implements AutoCloseable {

    private final Path socat;
    private final Path busEnd;
    private final Path deviceEnd;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private Process process;

    private SocatPtyPair(Path socat, Path dir) {
        this.socat = socat;
        this.busEnd = dir.resolve("bus");
        this.deviceEnd = dir.resolve("device");
    }

    /** A pair whose links will be in {@code dir}, not started yet (so a test can start it late). */
    public static SocatPtyPair prepare(Path dir) {
        return new SocatPtyPair(TestPeers.require("socat", "socat", Path.of("/usr/bin/socat")), dir);
    }

    /** A started pair. */
    public static SocatPtyPair start(Path dir) throws IOException, InterruptedException {
        SocatPtyPair pair = prepare(dir);
        pair.start();
        return pair;
    }

    /** Starts socat and returns once it relays between the two ends (both links exist by then). */
    public void start() throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("socat already running");
        }
        process = new ProcessBuilder(
                        socat.toString(),
                        "-d",
                        "-d",
                        "pty,raw,echo=0,link=" + busEnd,
                        "pty,raw,echo=0,link=" + deviceEnd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CountDownLatch relaying = new CountDownLatch(1);
        Process started = process;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader err = new BufferedReader(
                            new InputStreamReader(started.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = err.readLine()) != null; ) {
                            log.add(line);
                            if (line.contains("starting data transfer loop")) {
                                relaying.countDown();
                            }
                        }
                    } catch (IOException e) {
                        log.add("reading socat's log failed: " + e);
                    } finally {
                        relaying.countDown();
                    }
                },
                "socat-log");
        reader.setDaemon(true);
        reader.start();
        if (!relaying.await(20, TimeUnit.SECONDS) || !process.isAlive()) {
            throw new IOException("socat did not start relaying: " + log);
        }
    }

    /** Stops socat; the links go, and whoever has an end open sees a hang-up. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** The end the bus opens. */
    public Path busEnd() {
        return busEnd;
    }

    /** The end the simulated device reads requests from and writes replies to. */
    public Path deviceEnd() {
        return deviceEnd;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
