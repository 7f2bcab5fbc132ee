package io.headroom.agent.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.config.BusConfig.Parity;
import io.headroom.agent.transport.serial.SerialBusException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SerialBus} on a real pseudo-terminal pair made by socat: the bus opens one end through its
 * symbolic link, the test plays the device on the other end with plain file streams.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SerialBusIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "serial-bus-it");
        thread.setDaemon(true);
        return thread;
    });
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SocatPtyPair pty;

    @BeforeEach
    void preparePty() {
        pty = SocatPtyPair.prepare(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        pty.close();
        executor.shutdownNow();
    }

    @Test
    void transact_deviceAnswers_returnsReplyThroughTheSymlinkedPort() throws Exception {
        pty.start();
        SerialBus bus = bus(config(19_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();

        Future<byte[]> reply = executor.submit(() -> bus.transact(bytes("01 03 00 00 00 02 c4 0b"), 9, TIMEOUT));
        assertThat(device.read(8)).isEqualTo(bytes("01 03 00 00 00 02 c4 0b"));
        device.write(bytes("01 03 04 00 e6 01 2c 1b 9c"));

        assertThat(reply.get()).isEqualTo(bytes("01 03 04 00 e6 01 2c 1b 9c"));
        assertThat(count("headroom.agent.serial.transactions")).isEqualTo(1);
        assertThat(count("headroom.agent.serial.timeouts")).isZero();
    }

    @Test
    void transact_shortReplyThenSilence_endsTheFrameAtTheGap() throws Exception {
        pty.start();
        SerialBus bus = bus(config(19_200, Optional.of(Duration.ofMillis(5))), System::nanoTime);
        PtyEnd device = device();
        // A Modbus exception reply is 5 bytes; the normal reply would have been 9.
        FrameCompletion modbusReply =
                (received, length) -> length >= 2 && (received[1] & 0x80) != 0 ? length >= 5 : length >= 9;

        Future<byte[]> exception =
                executor.submit(() -> bus.transact(bytes("01 03 00 00 00 02 c4 0b"), modbusReply, TIMEOUT));
        device.read(8);
        device.write(bytes("01 83 02 c0 f1"));
        assertThat(exception.get()).isEqualTo(bytes("01 83 02 c0 f1"));

        Future<byte[]> unknownLength =
                executor.submit(() -> bus.transact(bytes("01 11 c0 2c"), FrameCompletion.silence(), TIMEOUT));
        device.read(4);
        device.write(bytes("01 11 03 42 ff 00 aa bb"));
        assertThat(unknownLength.get()).isEqualTo(bytes("01 11 03 42 ff 00 aa bb"));
    }

    @Test
    void transact_deviceSilent_timesOutAndTheLateReplyIsDiscardedNotGivenToTheNextCaller() throws Exception {
        pty.start();
        SteppedNanoTime clock = new SteppedNanoTime();
        SerialBus bus = bus(config(19_200, Optional.of(Duration.ofMillis(2))), clock);
        PtyEnd device = device();
        PtyEnd busEnd = probe();

        Future<byte[]> first = executor.submit(() -> bus.transact(bytes("0a 0a 0a 0a"), 4, TIMEOUT));
        assertThat(device.read(4)).isEqualTo(bytes("0a 0a 0a 0a"));
        awaitClockReads(clock); // the bus has noted when the request went out and waits for the reply
        assertThat(first.isDone()).as("no timeout before the clock passes it").isFalse();
        clock.advance(TIMEOUT.plusMillis(10)); // past the end of the request plus the timeout

        assertThatThrownBy(() -> getUnwrapped(first))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT))
                .hasMessage("serial bus rs485-a (" + pty.busEnd() + "): no complete reply within 1000 ms"
                        + " (nothing received)");
        assertThat(count("headroom.agent.serial.timeouts")).isEqualTo(1);

        device.write(bytes("6c 61 74 65")); // "late", the answer to the first request
        await().until(busEnd::available, n -> n == 4);

        Future<byte[]> second = executor.submit(() -> bus.transact(bytes("0b 0b 0b 0b"), 4, TIMEOUT));
        await().until(() -> discarded("stale"), n -> n == 4);
        awaitClockReads(clock); // waiting for the gap after the discarded bytes
        assertThat(device.available())
                .as("nothing sent before the gap has passed")
                .isZero();
        clock.advance(Duration.ofMillis(2));
        assertThat(device.read(4)).isEqualTo(bytes("0b 0b 0b 0b"));
        device.write(bytes("67 6f 6f 64")); // "good"

        assertThat(second.get()).isEqualTo(bytes("67 6f 6f 64"));
        assertThat(discarded("stale")).isEqualTo(4);
        assertThat(count("headroom.agent.serial.transactions")).isEqualTo(2);
    }

    @Test
    void transact_staleBytesWaiting_discardsAndCountsThemBeforeSending() throws Exception {
        pty.start();
        SerialBus bus = bus(config(115_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();
        PtyEnd busEnd = probe();
        exchange(bus, device, "01 02", "aa");

        device.write(bytes("00 ff 00 ff 7e")); // noise on the line between two transactions
        await().until(busEnd::available, n -> n == 5);
        exchange(bus, device, "03 04", "bb");

        assertThat(discarded("stale")).isEqualTo(5);
        assertThat(busEnd.available()).isZero();
    }

    @Test
    void transact_replyLongerThanTheFrame_keepsTheFrameAndCountsTheRest() throws Exception {
        pty.start();
        SerialBus bus = bus(config(115_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();

        Future<byte[]> reply = executor.submit(() -> bus.transact(bytes("01 02"), 3, TIMEOUT));
        device.read(2);
        device.write(bytes("0a 0b 0c 0d 0e"));

        assertThat(reply.get()).isEqualTo(bytes("0a 0b 0c"));
        assertThat(discarded("trailing")).isEqualTo(2);
    }

    @Test
    void transact_waitsForTheInterFrameGapSinceTheLastByteBeforeSending() throws Exception {
        pty.start();
        SteppedNanoTime clock = new SteppedNanoTime();
        SerialBus bus = bus(config(115_200, Optional.of(Duration.ofMillis(50))), clock);
        PtyEnd device = device();
        exchange(bus, device, "01", "02");

        Future<byte[]> next = executor.submit(() -> bus.transact(bytes("03"), 1, TIMEOUT));
        awaitClockReads(clock);
        clock.advance(Duration.ofMillis(40));
        awaitClockReads(clock);
        assertThat(device.available())
                .as("nothing sent before the gap has passed")
                .isZero();

        clock.advance(Duration.ofMillis(20));
        assertThat(device.read(1)).isEqualTo(bytes("03"));
        device.write(bytes("04"));
        assertThat(next.get()).isEqualTo(bytes("04"));
    }

    @Test
    void transact_fromManyThreads_requestsNeverInterleaveAndEachCallerGetsItsOwnReply() throws Exception {
        pty.start();
        SerialBus bus = bus(config(115_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();
        int threads = 4;
        int perThread = 25;
        Queue<String> deviceErrors = new ConcurrentLinkedQueue<>();
        Future<?> deviceLoop = executor.submit(() -> {
            for (int i = 0; i < threads * perThread; i++) {
                byte[] request = device.read(8);
                for (int k = 2; k < 8; k++) {
                    if (request[k] != request[k % 2]) {
                        deviceErrors.add("interleaved request " + hex(request));
                    }
                }
                device.write(new byte[] {request[1], request[0], (byte) (request[0] ^ request[1])});
            }
            return null;
        });

        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            byte id = (byte) (0x10 + t);
            callers.add(executor.submit(() -> {
                go.await();
                for (int s = 0; s < perThread; s++) {
                    byte seq = (byte) s;
                    byte[] reply = bus.transact(new byte[] {id, seq, id, seq, id, seq, id, seq}, 3, TIMEOUT);
                    assertThat(reply).as("reply to %02x/%d", id, s).containsExactly(seq, id, (byte) (id ^ seq));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> caller : callers) {
            caller.get();
        }
        deviceLoop.get();

        assertThat(deviceErrors).isEmpty();
        assertThat(count("headroom.agent.serial.transactions")).isEqualTo(threads * perThread);
    }

    @Test
    void transact_portMissing_failsClearlyThenOpensOnceSocatAppearsAfterTheBackoff() throws Exception {
        SteppedNanoTime clock = new SteppedNanoTime();
        SerialBus bus = bus(
                config(19_200, Optional.of(Duration.ZERO)),
                new SerialBusSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(8)),
                clock);

        assertThatThrownBy(() -> bus.transact(bytes("01"), 1, TIMEOUT))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PORT_UNAVAILABLE))
                .hasMessage("serial bus rs485-a: cannot open " + pty.busEnd()
                        + ": it does not exist (adapter unplugged, or a wrong path?); next attempt in 1000 ms");

        pty.start(); // socat started late: the "adapter" is plugged in
        assertThatThrownBy(() -> bus.transact(bytes("01"), 1, TIMEOUT))
                .hasMessageEndingWith("; next attempt in 1000 ms");
        clock.advance(Duration.ofMillis(400));
        assertThatThrownBy(() -> bus.transact(bytes("01"), 1, TIMEOUT))
                .hasMessageEndingWith("; next attempt in 600 ms");
        assertThat(count("headroom.agent.serial.open.failures"))
                .as("no attempt within the back-off")
                .isEqualTo(1);

        clock.advance(Duration.ofMillis(600));
        PtyEnd device = device();
        exchange(bus, device, "01", "81");

        assertThat(count("headroom.agent.serial.reopens")).isEqualTo(1);
        assertThat(count("headroom.agent.serial.open.failures")).isEqualTo(1);
    }

    @Test
    void transact_adapterUnpluggedAndPluggedBackIn_failsOnceThenReopens() throws Exception {
        pty.start();
        SerialBus bus = bus(config(115_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();
        exchange(bus, device, "01", "81");
        device.close();

        pty.stop(); // the line hangs up, as when a USB adapter is pulled
        assertThatThrownBy(() -> bus.transact(bytes("02"), 1, TIMEOUT))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO_ERROR))
                .hasMessageContaining("serial bus rs485-a")
                .hasMessageContaining(pty.busEnd().toString());

        pty.start();
        exchange(bus, device(), "03", "83");
        assertThat(count("headroom.agent.serial.reopens")).isEqualTo(1);
    }

    @Test
    void open_portAlreadyOwnedByAnotherBus_isRefused() throws Exception {
        pty.start();
        SerialBus owner = bus(config(19_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();
        exchange(owner, device, "01", "81");

        SerialBus intruder = bus(config(19_200, Optional.empty()), System::nanoTime);
        assertThatThrownBy(() -> intruder.transact(bytes("02"), 1, TIMEOUT))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PORT_UNAVAILABLE))
                .hasMessageStartingWith(
                        "serial bus rs485-a: cannot open " + pty.busEnd() + ": it is already open in this agent");
        exchange(owner, device, "03", "83");
    }

    @Test
    void close_releasesThePortAndLaterTransactionsFailClearly() throws Exception {
        pty.start();
        SerialBus bus = bus(config(19_200, Optional.empty()), System::nanoTime);
        PtyEnd device = device();
        exchange(bus, device, "01", "81");

        bus.close();
        bus.close();
        assertThatThrownBy(() -> bus.transact(bytes("02"), 1, TIMEOUT))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED))
                .hasMessage("serial bus rs485-a (" + pty.busEnd() + "): the bus is closed (agent stopping)");

        SerialBus successor = bus(config(19_200, Optional.empty()), System::nanoTime);
        exchange(successor, device, "03", "83");
    }

    @Test
    void transactionStuckWaiting_othersGetBusyAndCloseEndsIt() throws Exception {
        pty.start();
        SteppedNanoTime clock = new SteppedNanoTime(); // never advanced: the first reply wait never ends by itself
        SerialBus bus = bus(
                config(19_200, Optional.of(Duration.ZERO)),
                new SerialBusSettings(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                clock);
        PtyEnd device = device();

        Future<byte[]> stuck = executor.submit(() -> bus.transact(bytes("01"), 1, TIMEOUT));
        device.read(1);
        assertThatThrownBy(() -> bus.transact(bytes("02"), 1, TIMEOUT))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BUSY))
                .hasMessage("serial bus rs485-a (" + pty.busEnd() + "): another transaction has held the bus for"
                        + " more than 100 ms");

        bus.close();
        assertThatThrownBy(() -> getUnwrapped(stuck))
                .isInstanceOfSatisfying(
                        SerialBusException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    }

    private void exchange(SerialBus bus, PtyEnd device, String request, String reply) throws Exception {
        byte[] requestBytes = bytes(request);
        byte[] replyBytes = bytes(reply);
        Future<byte[]> answer = executor.submit(() -> bus.transact(requestBytes, replyBytes.length, TIMEOUT));
        assertThat(device.read(requestBytes.length)).isEqualTo(requestBytes);
        device.write(replyBytes);
        assertThat(answer.get()).isEqualTo(replyBytes);
    }

    /** Waits until a loop of the bus has read the clock a few more times: it is waiting, not done. */
    private static void awaitClockReads(SteppedNanoTime clock) {
        long seen = clock.reads();
        await().until(() -> clock.reads() >= seen + 20);
    }

    private SerialBus bus(BusConfig config, LongSupplier clock) {
        return bus(config, SerialBusSettings.DEFAULTS, clock);
    }

    private SerialBus bus(BusConfig config, SerialBusSettings settings, LongSupplier clock) {
        SerialBus bus = SerialBus.open(config, settings, registry, clock);
        toClose.add(bus);
        return bus;
    }

    private PtyEnd device() throws Exception {
        PtyEnd device = PtyEnd.open(pty.deviceEnd());
        toClose.add(device);
        return device;
    }

    private PtyEnd probe() throws Exception {
        PtyEnd probe = PtyEnd.open(pty.busEnd());
        toClose.add(probe);
        return probe;
    }

    /**
     * 8N1: a pseudo-terminal has no parity; Linux drops PARENB from its settings, and jSerialComm's
     * next open of the port then fails in tcsetattr with EINVAL (seen on Linux 6.18, glibc's check
     * that the settings took).
     */
    private BusConfig config(int baud, Optional<Duration> gap) {
        return new BusConfig("rs485-a", pty.busEnd().toString(), baud, Parity.NONE, 8, 1, gap);
    }

    private double count(String name) {
        return registry.get(name).tag("bus", "rs485-a").counter().count();
    }

    private double discarded(String reason) {
        return registry.get("headroom.agent.serial.bytes.discarded")
                .tag("bus", "rs485-a")
                .tag("reason", reason)
                .counter()
                .count();
    }

    private static byte[] getUnwrapped(Future<byte[]> future) throws Throwable {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    static byte[] bytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x ", b & 0xff));
        }
        return text.toString().trim();
    }
}
