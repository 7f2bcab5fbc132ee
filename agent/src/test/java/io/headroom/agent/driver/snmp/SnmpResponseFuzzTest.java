package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.PDU;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BER;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Opaque;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Fuzz-style regression test of the SNMP driver's response handling. Every golden case walk of an snmp
 * profile ({@code firmware-profiles/src/test/resources/cases/**}/walk.snmprec}) is polled by the real
 * {@link SnmpPoll} after seeded mutations of its variable bindings: wrong syntax types, {@code Null} and
 * the exception values noSuchObject/noSuchInstance/endOfMibView, huge OIDs and row indexes, negative and
 * overflowing integers, octet strings that are not numbers, missing and extra rows, faults mid-poll. A
 * poll result (DEGRADED or OFFLINE with a reason where it is not ONLINE) must always come out, never an
 * exception. Raw BER of mutated SNMP messages, and random bytes, go through the {@link SnmpSession}'s own
 * message dispatcher (the decoding path of every datagram the session receives): garbage is counted per
 * sender, never thrown. A longer run is {@code -Dheadroom.fuzz.mutations=100000} (docs/testing-fuzz.md).
 */
class SnmpResponseFuzzTest {

    private static final int MUTATIONS = Integer.getInteger("headroom.fuzz.mutations", 300);
    /** Mixed into every per-seed random, so that a long run can explore other mutations; 0 in verify. */
    private static final long SEED = Long.getLong("headroom.fuzz.seed", 0L);

    private static final Clock CLOCK = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One golden case of an snmp profile: its walk and the compiled profile that reads it. */
    record Case(String name, SnmpProfile profile, NavigableMap<OID, Variable> walk) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws IOException {
        Path root = GoldenCasesTest.casesRoot();
        List<Case> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path walk : files.filter(p -> p.getFileName().toString().equals(SnmpGoldenCaseRunner.WALK))
                    .sorted()
                    .toList()) {
                JsonNode expected = JSON.readTree(
                        walk.resolveSibling("expected-readings.json").toFile());
                FirmwareProfile profile =
                        TestDevices.profile(expected.get("profile").asText());
                if (!profile.driver().equals(SnmpDriverFactory.NAME)) {
                    continue;
                }
                out.add(new Case(
                        root.relativize(walk.getParent()).toString(),
                        (SnmpProfile) TestDevices.PROFILES.compiled(profile.id()),
                        Snmprec.read(walk)));
            }
        }
        assertThat(out).as("snmp golden cases").hasSizeGreaterThanOrEqualTo(5);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mutatedBindings_alwaysGiveAPollResult(Case golden) {
        Random random = new Random(SEED ^ (golden.name().hashCode()));
        List<OID> oids = new ArrayList<>(golden.walk().keySet());
        Set<DeviceHealth> healths = EnumSet.noneOf(DeviceHealth.class);
        for (int i = 0; i < MUTATIONS; i++) {
            NavigableMap<OID, Variable> mutated = new TreeMap<>(golden.walk());
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                OID at = oids.get(random.nextInt(oids.size()));
                switch (random.nextInt(4)) {
                    case 0 -> mutated.remove(at);
                    case 1 -> mutated.put(rowBeside(at, random), strangeValue(random));
                    default -> mutated.put(at, strangeValue(random));
                }
            }
            SnmpAccess access = new Faulty(new SnmprecAccess(mutated), random);
            healths.add(assertPollResult(golden, access, "mutation " + i));
        }
        if (MUTATIONS >= 100) {
            assertThat(healths)
                    .as("the mutations reach the degraded paths")
                    .contains(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyBindingOfOneSyntax_stillGivesAPollResult(Case golden) {
        for (Variable odd : List.<Variable>of(
                Null.noSuchObject,
                Null.noSuchInstance,
                Null.endOfMibView,
                new Null(),
                new OctetString("not a number"),
                new Counter64(-1L),
                new Integer32(Integer.MIN_VALUE),
                new OID("1.3.6.1"))) {
            NavigableMap<OID, Variable> same = new TreeMap<>();
            golden.walk().keySet().forEach(oid -> same.put(oid, odd));
            assertPollResult(golden, new SnmprecAccess(same), "every value " + odd.getSyntaxString());
        }
    }

    @Test
    void usmReportOfAnyOid_isAReportOrNone() {
        Random random = new Random(SEED ^ (16));
        for (int i = 0; i < MUTATIONS * 10; i++) {
            OID oid = hugeOid(random, 1 + random.nextInt(140));
            if (random.nextBoolean()) {
                oid = new OID("1.3.6.1.6.3.15.1.1").append(oid);
            }
            OID reported = oid;
            assertThatCode(() -> SnmpUsmReport.of(reported))
                    .as("OID %s", reported)
                    .doesNotThrowAnyException();
        }
        assertThat(SnmpUsmReport.of(new OID())).isEmpty();
    }

    @Test
    void mutatedBerDatagrams_areDecodedOrCountedAsGarbage_neverThrown() throws Exception {
        try (SnmpSession session = SnmpSession.open(new SimpleMeterRegistry())) {
            @SuppressWarnings("unchecked") // the session has one mapping, a DefaultUdpTransportMapping
            TransportMapping<UdpAddress> transport = (TransportMapping<UdpAddress>) session.snmp()
                    .getMessageDispatcher()
                    .getTransportMappings()
                    .iterator()
                    .next();
            UdpAddress sender = new UdpAddress(InetAddress.getLoopbackAddress(), 40161);
            List<byte[]> seeds = berSeeds();
            Random random = new Random(SEED ^ (161));
            for (byte[] seed : seeds) {
                // A valid response to no request decodes and is dropped, not counted.
                dispatch(session, transport, sender, seed);
            }
            assertThat(session.garbageFrom(sender))
                    .as("valid messages are not garbage")
                    .isZero();
            long expectedAtLeast = 0;
            for (int i = 0; i < MUTATIONS * 10; i++) {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                byte[] datagram;
                boolean surelyGarbage;
                switch (random.nextInt(3)) {
                    case 0 -> {
                        datagram = randomBytes(random);
                        datagram[0] = (byte) (datagram[0] == 0x30 ? 0x31 : datagram[0]);
                        surelyGarbage = true;
                    }
                    case 1 -> {
                        datagram = Arrays.copyOf(seed, 1 + random.nextInt(seed.length / 2));
                        surelyGarbage = true;
                    }
                    default -> {
                        datagram = mutate(seed, random);
                        surelyGarbage = false;
                    }
                }
                long before = session.garbageFrom(sender);
                dispatch(session, transport, sender, datagram);
                if (surelyGarbage) {
                    assertThat(session.garbageFrom(sender))
                            .as(
                                    "counted: %s",
                                    OctetString.fromByteArray(datagram).toHexString())
                            .isEqualTo(before + 1);
                    expectedAtLeast++;
                }
            }
            assertThat(session.garbageFrom(sender)).isGreaterThanOrEqualTo(expectedAtLeast);

            // And over the session's real socket: its listener survives garbage and still counts it.
            int port = transport.getListenAddress().getPort();
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                UdpAddress from = new UdpAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
                for (int i = 1; i <= 3; i++) {
                    byte[] garbage = {0x42, (byte) i, 0x00, 0x7F};
                    socket.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), port));
                    int sent = i;
                    await().atMost(Duration.ofSeconds(10)).until(() -> session.garbageFrom(from) == sent);
                }
            }
        }
    }

    private static void dispatch(
            SnmpSession session, TransportMapping<UdpAddress> transport, UdpAddress sender, byte[] datagram) {
        TransportStateReference state = new TransportStateReference(
                transport, sender, null, SecurityLevel.undefined, SecurityLevel.undefined, false, null);
        assertThatCode(() -> session.snmp()
                        .getMessageDispatcher()
                        .processMessage(transport, sender, ByteBuffer.wrap(datagram), state))
                .as("datagram %s", OctetString.fromByteArray(datagram).toHexString())
                .doesNotThrowAnyException();
    }

    private static DeviceHealth assertPollResult(Case golden, SnmpAccess access, String what) {
        AtomicReference<DeviceHealth> health = new AtomicReference<>();
        assertThatCode(() -> {
                    PollResult result = SnmpPoll.run(CLOCK, golden.profile(), access, true);
                    health.set(result.health());
                    assertThat(result).isNotNull();
                    if (result.health() != DeviceHealth.DEVICE_HEALTH_ONLINE) {
                        assertThat(result.reason())
                                .as("reason of a %s poll", result.health())
                                .isNotBlank();
                    }
                    result.readings().forEach(r -> assertThat(r.value()).isFinite());
                })
                .as("%s: %s", golden.name(), what)
                .doesNotThrowAnyException();
        return health.get();
    }

    /** Valid v1 and v2c GET responses carrying each golden case's first bindings. */
    private static List<byte[]> berSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        List<Case> all = cases().toList();
        for (int c = 0; c < all.size(); c++) {
            List<VariableBinding> bindings = new ArrayList<>();
            for (Map.Entry<OID, Variable> entry : all.get(c).walk().entrySet()) {
                if (bindings.size() >= 12) {
                    break;
                }
                bindings.add(new VariableBinding(entry.getKey(), entry.getValue()));
            }
            seeds.add(message(c % 2, 1000 + c, bindings));
        }
        return seeds;
    }

    private static byte[] message(int version, int requestId, List<VariableBinding> bindings) {
        PDU pdu = new PDU();
        pdu.setType(PDU.RESPONSE);
        pdu.setRequestID(new Integer32(requestId));
        pdu.addAll(bindings);
        Integer32 v = new Integer32(version);
        OctetString community = new OctetString("public");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int length = v.getBERLength() + community.getBERLength() + pdu.getBERLength();
            BER.encodeHeader(out, BER.SEQUENCE, length);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            v.encodeBER(body);
            community.encodeBER(body);
            pdu.encodeBER(body);
            out.write(body.toByteArray());
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value of a random SNMP syntax, most of them not what a profile expects. */
    private static Variable strangeValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> Null.noSuchObject;
            case 1 -> Null.noSuchInstance;
            case 2 -> Null.endOfMibView;
            case 3 -> new Null();
            case 4 -> new Integer32(random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE);
            case 5 -> new Integer32(-1 - random.nextInt(1000));
            case 6 -> new Counter64(random.nextLong());
            case 7 -> new UnsignedInteger32(0xFFFF_FFFFL);
            case 8 -> new Gauge32(random.nextInt() & 0xFFFF_FFFFL);
            case 9 -> new Counter32(random.nextInt() & 0xFFFF_FFFFL);
            case 10 -> new TimeTicks(random.nextInt() & 0xFFFF_FFFFL);
            case 11 -> new OctetString(random.nextBoolean() ? "12.5" : "NaN");
            case 12 -> new OctetString(randomBytes(random));
            case 13 -> hugeOid(random, 1 + random.nextInt(128));
            case 14 -> new IpAddress(new byte[] {10, 0, 0, (byte) random.nextInt(256)});
            default -> new Opaque(randomBytes(random));
        };
    }

    /** The OID beside {@code oid}: a row index replaced by a huge, zero or long one. */
    private static OID rowBeside(OID oid, Random random) {
        OID row = new OID(oid);
        switch (random.nextInt(3)) {
            case 0 -> row.set(row.size() - 1, -1); // 4294967295 unsigned
            case 1 -> row.set(row.size() - 1, 0);
            default -> row.append(hugeOid(random, 1 + random.nextInt(64)));
        }
        return row;
    }

    private static OID hugeOid(Random random, int length) {
        int[] subids = new int[length];
        for (int i = 0; i < length; i++) {
            subids[i] = random.nextBoolean() ? random.nextInt() : random.nextInt(30);
        }
        return new OID(subids);
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** One to three edits: flip a bit, cut, duplicate a slice, a random byte, a lying BER length. */
    static byte[] mutate(byte[] input, Random random) {
        byte[] out = input.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = out.length == 0 ? 0 : random.nextInt(out.length);
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (out.length > 0) {
                        out[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> out = Arrays.copyOf(out, Math.max(1, at));
                case 2 -> {
                    int end = Math.min(out.length, at + 1 + random.nextInt(32));
                    byte[] slice = Arrays.copyOfRange(out, at, end);
                    byte[] longer = new byte[out.length + slice.length];
                    System.arraycopy(out, 0, longer, 0, end);
                    System.arraycopy(slice, 0, longer, end, slice.length);
                    System.arraycopy(out, end, longer, end + slice.length, out.length - end);
                    out = longer;
                }
                case 3 -> {
                    if (out.length > 0) {
                        out[at] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    // A BER length that lies: long form claiming far more than the datagram holds.
                    if (out.length > 2) {
                        out[at] = (byte) (random.nextBoolean() ? 0x84 : 0xFF);
                    }
                }
            }
        }
        return out;
    }

    /** Passes calls through, but now and then fails one as a device would (timeout, error status). */
    private static final class Faulty implements SnmpAccess {
        private final SnmpAccess inner;
        private final Random random;

        Faulty(SnmpAccess inner, Random random) {
            this.inner = inner;
            this.random = random;
        }

        @Override
        public List<VariableBinding> get(List<OID> oids) throws SnmpFault, InterruptedException {
            maybeFail();
            return inner.get(oids);
        }

        @Override
        public List<VariableBinding> walk(OID column, int maxRows) throws SnmpFault, InterruptedException {
            maybeFail();
            return inner.walk(column, maxRows);
        }

        @Override
        public void set(OID oid, Variable value) throws SnmpFault, InterruptedException {
            inner.set(oid, value);
        }

        private void maybeFail() throws SnmpFault {
            if (random.nextInt(20) == 0) {
                throw new SnmpFault(SnmpFault.TIMEOUT, "no answer (fuzz)", true);
            }
        }
    }
}
