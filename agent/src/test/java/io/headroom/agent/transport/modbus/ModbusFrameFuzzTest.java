package io.headroom.agent.transport.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.headroom.agent.driver.modbus.ValueType;
import io.headroom.agent.driver.modbus.WordOrder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz-style regression test of the agent's own Modbus decoding: RTU unframing (CRC, unit, PDU check),
 * the Modbus TCP reply path of {@link TcpTransport} (MBAP header, transaction id, unit, PDU check) over
 * a real socket, the PDU check and exception decoding of {@link ModbusPdu}, and the value decoding of
 * {@link WordOrder} and {@link ValueType} for every type and order. Every seed in the checked-in corpus
 * ({@code src/test/resources/fuzz/modbus}, a request and its valid RTU and MBAP replies) and a fixed set
 * of seeded mutations of it (bit flips, cuts, duplicated slices, random bytes, lying byte counts and
 * MBAP lengths) either decodes or fails as a {@link ModbusException}, the one failure the driver turns
 * into an OFFLINE or DEGRADED poll. Anything else (an index out of bounds, a negative array size, a
 * null pointer) is a bug. A longer run is {@code -Dheadroom.fuzz.mutations=100000} (docs/testing-fuzz.md).
 */
class ModbusFrameFuzzTest {

    private static final Path CORPUS = Path.of("src/test/resources/fuzz/modbus");
    private static final int MUTATIONS = Integer.getInteger("headroom.fuzz.mutations", 300);
    /** Mixed into every per-seed random, so that a long run can explore other mutations; 0 in verify. */
    private static final long SEED = Long.getLong("headroom.fuzz.seed", 0L);
    /** Socket round trips are dearer than in-memory decodes: a tenth as many, at least 20. */
    private static final int MBAP_MUTATIONS = Math.max(20, MUTATIONS / 10);

    private static final HexFormat HEX = HexFormat.of();

    private static ServerSocket server;
    private static Thread serving;
    private static final BlockingQueue<byte[]> REPLIES = new LinkedBlockingQueue<>();

    /** One seed: the request PDU, the unit, and the valid replies in both framings. */
    record Seed(String name, int unit, byte[] request, byte[] rtu, byte[] mbap) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Seed> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            List<Path> paths =
                    files.filter(f -> f.toString().endsWith(".hex")).sorted().toList();
            assertThat(paths).as("the corpus is checked in").hasSizeGreaterThanOrEqualTo(10);
            return paths.stream().map(ModbusFrameFuzzTest::seed).toList().stream();
        }
    }

    private static Seed seed(Path file) {
        int unit = -1;
        byte[] request = null;
        byte[] rtu = null;
        byte[] mbap = null;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.strip().split("\\s+", 2);
                if (line.isBlank() || line.startsWith("#") || parts.length < 2) {
                    continue;
                }
                switch (parts[0]) {
                    case "unit" -> unit = Integer.parseInt(parts[1]);
                    case "request" -> request = HEX.parseHex(parts[1]);
                    case "rtu" -> rtu = HEX.parseHex(parts[1]);
                    case "mbap" -> mbap = HEX.parseHex(parts[1]);
                    default -> throw new IllegalStateException(file + ": unknown line " + line);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(unit).as(file + ": unit").isBetween(0, 255);
        assertThat(request).as(file + ": request").isNotNull();
        assertThat(rtu).as(file + ": rtu").isNotNull();
        assertThat(mbap).as(file + ": mbap").isNotNull();
        return new Seed(file.getFileName().toString(), unit, request, rtu, mbap);
    }

    @BeforeAll
    static void startServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serving = new Thread(ModbusFrameFuzzTest::serve, "modbus-fuzz-peer");
        serving.setDaemon(true);
        serving.start();
    }

    @AfterAll
    static void stopServer() throws IOException, InterruptedException {
        server.close();
        serving.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** Answers each connection's request with the next queued reply, then closes the connection. */
    private static void serve() {
        while (!server.isClosed()) {
            try (Socket peer = server.accept()) {
                InputStream in = peer.getInputStream();
                byte[] header = in.readNBytes(6);
                if (header.length == 6) {
                    in.readNBytes(((header[4] & 0xFF) << 8) | (header[5] & 0xFF));
                }
                byte[] reply = REPLIES.poll(10, TimeUnit.SECONDS);
                OutputStream out = peer.getOutputStream();
                if (reply != null) {
                    out.write(reply);
                    out.flush();
                }
                peer.shutdownOutput();
            } catch (IOException e) {
                // The server socket closed at the end of the test, or a client went away.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void seed_decodesInBothFramings(Seed seed) throws Exception {
        boolean exception = (seed.rtu()[1] & 0x80) != 0;
        byte[] fromRtu = null;
        try {
            fromRtu = RtuFrames.unframe(seed.unit(), seed.request(), seed.rtu(), seed.rtu().length);
            assertThat(exception).as("a normal reply").isFalse();
        } catch (ModbusException e) {
            assertThat(exception).as("an exception reply: " + e.getMessage()).isTrue();
            assertThat(e.kind()).isEqualTo(ModbusException.Kind.EXCEPTION);
        }
        if (fromRtu != null) {
            decodeChecked(seed.request(), fromRtu);
            assertThat(mbapExchange(seed, seed.mbap())).containsExactly(fromRtu);
        } else {
            assertThatCode(() -> mbapExchange(seed, seed.mbap())).isInstanceOf(ModbusException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mutatedRtuFrames_decodeOrFailAsModbusException(Seed seed) {
        Random random = new Random(SEED ^ (seed.name().hashCode()));
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutated = mutate(seed.rtu(), random);
            // Half with the CRC made right again, so that the mutation reaches the unit and PDU checks.
            if (random.nextBoolean() && mutated.length >= 3) {
                int crc = Crc16.of(mutated, 0, mutated.length - 2);
                mutated[mutated.length - 2] = (byte) crc;
                mutated[mutated.length - 1] = (byte) (crc >>> 8);
            }
            byte[] frame = mutated;
            assertThatCode(() -> {
                        try {
                            byte[] pdu = RtuFrames.unframe(seed.unit(), seed.request(), frame, frame.length);
                            decodeChecked(seed.request(), pdu);
                        } catch (ModbusException refused) {
                            assertThat(refused.getMessage()).isNotBlank();
                            assertThat(refused.reason()).isNotBlank();
                        }
                    })
                    .as("RTU frame %s", HEX.formatHex(frame))
                    .doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mutatedPdus_passTheCheckOrFailAsModbusException(Seed seed) {
        byte[] pdu = Arrays.copyOfRange(seed.rtu(), 1, seed.rtu().length - 2);
        Random random = new Random(SEED ^ (~seed.name().hashCode()));
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutated = mutate(pdu, random);
            assertThatCode(() -> {
                        try {
                            ModbusPdu.check(seed.request(), mutated);
                            decodeChecked(seed.request(), mutated);
                        } catch (ModbusException refused) {
                            assertThat(refused.getMessage()).isNotBlank();
                        }
                    })
                    .as("PDU %s", HEX.formatHex(mutated))
                    .doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mutatedMbapReplies_decodeOrFailAsModbusException(Seed seed) {
        Random random = new Random(SEED ^ (31 * seed.name().hashCode() + 7));
        for (int i = 0; i < MBAP_MUTATIONS; i++) {
            byte[] mutated = mutate(seed.mbap(), random);
            assertThatCode(() -> {
                        try {
                            byte[] pdu = mbapExchange(seed, mutated);
                            decodeChecked(seed.request(), pdu);
                        } catch (ModbusException refused) {
                            assertThat(refused.getMessage()).isNotBlank();
                        }
                    })
                    .as("MBAP reply %s", HEX.formatHex(mutated))
                    .doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mbapLengthLies_areRefusedWithoutReadingPastTheFrame(Seed seed) {
        for (int length : new int[] {0, 1, 255, 0x7FFF, 0x8000, 0xFFFF}) {
            byte[] lying = seed.mbap().clone();
            lying[4] = (byte) (length >>> 8);
            lying[5] = (byte) length;
            assertThatCode(() -> mbapExchange(seed, lying))
                    .as("MBAP length %d", length)
                    .isInstanceOfSatisfying(
                            ModbusException.class,
                            e -> assertThat(e.kind()).isEqualTo(ModbusException.Kind.BAD_RESPONSE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void randomRegisters_decodeForEveryTypeAndWordOrder(Seed seed) {
        Random random = new Random(SEED ^ (seed.name().hashCode() ^ 0x5EED));
        for (int i = 0; i < MUTATIONS; i++) {
            int[] registers = new int[1 + random.nextInt(8)];
            for (int r = 0; r < registers.length; r++) {
                registers[r] = random.nextInt(0x10000);
            }
            for (ValueType type : ValueType.values()) {
                int words = Math.max(1, type.words());
                for (int offset = 0; offset + words <= registers.length; offset++) {
                    for (WordOrder order : WordOrder.values()) {
                        long raw = order.assemble(registers, offset, words);
                        assertThat(raw & ~type.mask())
                                .as("%s %s fits its width", type, order)
                                .isZero();
                        assertThat(order.split(raw, words))
                                .as("%s %s round trip", type, order)
                                .containsExactly(Arrays.copyOfRange(registers, offset, offset + words));
                        double value = type.decode(raw);
                        if (!type.isFloat()) {
                            assertThat(value)
                                    .as("%s %s of %s", type, order, raw)
                                    .isFinite();
                        }
                    }
                }
            }
        }
    }

    /** Decodes a checked response as the driver does; nothing may throw for a response that passed. */
    private static void decodeChecked(byte[] request, byte[] pdu) {
        int function = request[0] & 0xFF;
        int count = ((request[3] & 0xFF) << 8) | (request[4] & 0xFF);
        if (function == 0x03 || function == 0x04) {
            int[] registers = ModbusPdu.registers(pdu);
            assertThat(registers).hasSize(count);
            for (ValueType type : ValueType.values()) {
                int words = Math.max(1, type.words());
                for (int offset = 0; offset + words <= registers.length; offset++) {
                    for (WordOrder order : WordOrder.values()) {
                        type.decode(order.assemble(registers, offset, words));
                    }
                }
            }
        } else if (function == 0x01 || function == 0x02) {
            assertThat(ModbusPdu.bits(pdu, count)).hasSize(count);
        }
    }

    private static byte[] mbapExchange(Seed seed, byte[] reply) throws ModbusException, InterruptedException {
        REPLIES.clear();
        REPLIES.add(reply);
        try (TcpTransport transport = new TcpTransport(
                InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort(), TcpTransport.Framing.MBAP)) {
            return transport.exchange(seed.unit(), seed.request(), Duration.ofSeconds(10));
        }
    }

    /** One to three edits: flip a bit, cut, extend, duplicate a slice, a random byte, or a lying length. */
    static byte[] mutate(byte[] input, Random random) {
        byte[] out = input.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = out.length == 0 ? 0 : random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (out.length > 0) {
                        out[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> out = Arrays.copyOf(out, at);
                case 2 -> {
                    byte[] longer = Arrays.copyOf(out, out.length + 1 + random.nextInt(16));
                    for (int i = out.length; i < longer.length; i++) {
                        longer[i] = (byte) random.nextInt(256);
                    }
                    out = longer;
                }
                case 3 -> {
                    int end = Math.min(out.length, at + 1 + random.nextInt(32));
                    byte[] slice = Arrays.copyOfRange(out, at, end);
                    byte[] longer = new byte[out.length + slice.length];
                    System.arraycopy(out, 0, longer, 0, end);
                    System.arraycopy(slice, 0, longer, end, slice.length);
                    System.arraycopy(out, end, longer, end + slice.length, out.length - end);
                    out = longer;
                }
                case 4 -> {
                    if (out.length > 0) {
                        out[at] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    // A length or byte count that lies: 0x00, 0xFF, or off by one.
                    if (out.length > 0) {
                        int[] lies = {0, 0xFF, (out[at] & 0xFF) + 1, (out[at] & 0xFF) - 1};
                        out[at] = (byte) lies[random.nextInt(lies.length)];
                    }
                }
            }
        }
        return out;
    }
}
