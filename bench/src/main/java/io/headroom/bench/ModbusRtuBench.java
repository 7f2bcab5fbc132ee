package io.headroom.bench;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusPdu;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.agent.transport.modbus.RtuBusTransport;
import io.headroom.agent.transport.modbus.RtuFrames;
import io.headroom.agent.transport.serial.SerialBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Modbus RTU bus utilisation of the agent's own client framing ({@link RtuBusTransport} on
 * {@link SerialBus}) at 9600 and 19200 baud, 8E1, against the theoretical frame rate, printed as one line:
 *
 * <pre>
 * BENCH modbus-rtu b9600_r2_tps=… b9600_r2_theory_tps=… b9600_r2_efficiency=… … jdk=…
 * </pre>
 *
 * <p>The line is a socat pty pair, which carries bytes at memory speed whatever the baud rate, so the
 * slave on the far end emulates the wire: it takes the request's own transmission time (11 bits per
 * character) plus the 3.5-character silence a real slave needs to see the frame end, then hands over its reply
 * when the last character would have left the wire (one write, as a USB adapter's FIFO delivers it). Theoretical: request + reply characters + 2 × 3.5 characters of
 * silence per transaction, nothing else (zero slave turnaround). {@code efficiency} is measured over
 * theoretical transactions per second: what the client's own waiting (gap detection by polling, thread
 * wake-ups) costs. {@code r2} reads one float32 (2 registers, the unbatched case), {@code r125} a full
 * batch. Needs {@code /usr/bin/socat}. Arguments: {@code --seconds N} per configuration (default 5).
 */
public final class ModbusRtuBench {

    private static final int BITS_PER_CHAR = 11; // start, 8 data, even parity, stop

    private static int errors;

    private ModbusRtuBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length == 2 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 5;
        Path socat = Path.of("/usr/bin/socat");
        if (!Files.isExecutable(socat)) {
            System.out.println("BENCH modbus-rtu skipped=socat-missing");
            return;
        }
        StringBuilder line = new StringBuilder("BENCH modbus-rtu");
        for (int baud : new int[] {9600, 19_200}) {
            for (int registers : new int[] {2, 125}) {
                double theory = theoreticalTps(baud, registers);
                double measured = measure(socat, baud, registers, seconds);
                String key = " b" + baud + "_r" + registers;
                line.append(String.format(
                        Locale.ROOT,
                        "%s_tps=%.2f%s_theory_tps=%.2f%s_efficiency=%.3f%s_registers_per_s=%.0f",
                        key,
                        measured,
                        key,
                        theory,
                        key,
                        measured / theory,
                        key,
                        measured * registers));
            }
        }
        line.append(" errors=")
                .append(errors)
                .append(" seconds=")
                .append(seconds)
                .append(" jdk=")
                .append(Runtime.version().feature());
        System.out.println(line);
    }

    /** Transactions per second a perfect master and slave reach: characters and silences only. */
    static double theoreticalTps(int baud, int registers) {
        double chars = 8 + (5 + 2 * registers) + 2 * 3.5;
        return baud / (chars * BITS_PER_CHAR);
    }

    private static double measure(Path socat, int baud, int registers, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("modbus-bench");
        Path busEnd = dir.resolve("bus");
        Path deviceEnd = dir.resolve("device");
        Process relay = new ProcessBuilder(
                        socat.toString(), "pty,raw,echo=0,link=" + busEnd, "pty,raw,echo=0,link=" + deviceEnd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(busEnd) && Files.exists(deviceEnd)) && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            long charNanos = BITS_PER_CHAR * 1_000_000_000L / baud;
            EmulatedSlave slave = new EmulatedSlave(deviceEnd, charNanos);
            slave.start();
            BusConfig config = new BusConfig(
                    "bench", busEnd.toString(), baud, BusConfig.Parity.EVEN, 8, 1, java.util.Optional.empty());
            try (SerialBus bus = SerialBus.open(config, new SimpleMeterRegistry(), System::nanoTime)) {
                RtuBusTransport transport = new RtuBusTransport(bus);
                byte[] request = ModbusPdu.read(ModbusTable.HOLDING, 0, registers);
                Duration timeout = Duration.ofSeconds(1);
                for (int i = 0; i < 5; i++) {
                    try {
                        transport.exchange(1, request, timeout); // warm-up: port open, JIT
                    } catch (ModbusException e) {
                        errors++;
                    }
                }
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                int done = 0;
                while (System.nanoTime() < end) {
                    try {
                        transport.exchange(1, request, timeout);
                        done++;
                    } catch (ModbusException e) {
                        // A scheduling hiccup of the emulated slave longer than the gap ends a reply early,
                        // as a real slave's pause would: counted, and the bus recovers by itself.
                        errors++;
                    }
                }
                return done / ((System.nanoTime() - start) / 1e9);
            } finally {
                slave.interrupt();
                slave.close();
            }
        } finally {
            relay.destroy();
            relay.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Unit 1 with zeroed holding registers, paced as on a real line. */
    private static final class EmulatedSlave extends Thread {
        private final FileInputStream in;
        private final FileOutputStream out;
        private final long charNanos;

        EmulatedSlave(Path end, long charNanos) throws IOException {
            super("modbus-bench-slave");
            setDaemon(true);
            this.in = new FileInputStream(end.toFile());
            this.out = new FileOutputStream(end.toFile());
            this.charNanos = charNanos;
        }

        @Override
        public void run() {
            byte[] request = new byte[8];
            try {
                while (!isInterrupted()) {
                    for (int got = 0; got < 8; ) {
                        int n = in.read(request, got, 8 - got);
                        if (n < 0) {
                            return;
                        }
                        got += n;
                    }
                    long t = System.nanoTime();
                    // The request's own transmission time, then the 3.5-character silence that ends it.
                    t += 8 * charNanos + (long) (3.5 * charNanos);
                    byte[] pdu = java.util.Arrays.copyOfRange(request, 1, 6);
                    int registers = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
                    byte[] body = new byte[2 + 2 * registers];
                    body[0] = 0x03;
                    body[1] = (byte) (2 * registers);
                    byte[] reply = RtuFrames.frame(1, body);
                    // The reply is handed over when its last character would have left the wire, in one
                    // write, as a USB adapter's FIFO delivers it: the same timing for throughput, and a
                    // descheduled slave thread (a loaded test machine) only delays it, never splits it.
                    t += reply.length * charNanos;
                    waitUntil(t);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                // the pty went away: the measurement is over
            }
        }

        private static void waitUntil(long deadline) {
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                if (left > 200_000) {
                    LockSupport.parkNanos(left - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void close() {
            try {
                in.close();
                out.close();
            } catch (IOException e) {
                // closing a pty end that socat already removed
            }
        }
    }
}
