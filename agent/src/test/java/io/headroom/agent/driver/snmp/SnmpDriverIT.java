package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** The snmp driver against a real SNMP agent (SNMP4J-agent) and hostile UDP peers on loopback. */
@Timeout(60)
class SnmpDriverIT {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final String PROFILE = "apc/rpdu2";
    private static final Path CASES = GoldenCasesTest.casesRoot().resolve("apc/ap8641");
    private static final OID SWITCHED_NUMBER = new OID("1.3.6.1.4.1.318.1.1.26.9.2.3.1.4");
    private static final OID CONTROL_NUMBER = new OID("1.3.6.1.4.1.318.1.1.26.9.2.4.1.4");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DriverContext context = new DriverContext(
            Clock.systemUTC(),
            io.headroom.agent.time.MonotonicClock.system(),
            meters,
            ref -> (ref instanceof SecretRef.Credential c && c.name().equals("pdu-community") ? "public" : "wrong")
                    .toCharArray(),
            Map.of());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        context.close();
    }

    private SnmpTestAgent agent(String caseName) throws Exception {
        SnmpTestAgent agent =
                new SnmpTestAgent(Snmprec.read(CASES.resolve(caseName).resolve("walk.snmprec")), "public");
        toClose.add(agent);
        return agent;
    }

    private Driver driver(int port, SnmpVersion version, String community) {
        SnmpSettings settings = new SnmpSettings(
                "127.0.0.1", port, version, Optional.of(new SecretRef.Credential(community)), Optional.empty(), 1);
        DeviceConfig device = new DeviceConfig(
                "pdu-1",
                PROFILE,
                SnmpDriverFactory.NAME,
                Duration.ofSeconds(10),
                TIMEOUT,
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        Driver driver = TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
        toClose.add(driver::close);
        return driver;
    }

    @Test
    void poll_v2cAgentServingTheWalk_givesTheGoldenCaseReadings() throws Exception {
        SnmpTestAgent agent = agent("aos-6.7.2");

        PollResult result =
                driver(agent.port(), SnmpVersion.V2C, "pdu-community").poll();

        assertGolden(result, "aos-6.7.2");
    }

    @Test
    void poll_v1Agent_walksWithGetNext_andGivesTheSameReadings() throws Exception {
        SnmpTestAgent agent = agent("aos-6.7.2");

        PollResult result =
                driver(agent.port(), SnmpVersion.V1, "pdu-community").poll();

        assertGolden(result, "aos-6.7.2");
    }

    @Test
    void poll_missingColumnOverUdp_isDegradedNamingTheColumn() throws Exception {
        SnmpTestAgent agent = agent("quirk-missing-outlet-energy");

        PollResult result =
                driver(agent.port(), SnmpVersion.V2C, "pdu-community").poll();

        assertGolden(result, "quirk-missing-outlet-energy");
        assertThat(result.message()).contains("1.3.6.1.4.1.318.1.1.26.9.4.3.1.11");
    }

    @Test
    void outletOff_setsTheRowWhoseNumberIsTheOutlet_andIsConfirmedByReadBack() throws Exception {
        // Switched rows numbered in reverse, so that outlet 5 is row 20: sending to row 5 would be the trap.
        NavigableMap<OID, Variable> walk =
                Snmprec.read(CASES.resolve("aos-6.7.2").resolve("walk.snmprec"));
        for (int row = 1; row <= 24; row++) {
            walk.put(new OID(SWITCHED_NUMBER).append(row), new Integer32(25 - row));
            walk.put(new OID(CONTROL_NUMBER).append(row), new Integer32(25 - row));
        }
        SnmpTestAgent agent = new SnmpTestAgent(walk, "public");
        toClose.add(agent);
        Driver driver = driver(agent.port(), SnmpVersion.V2C, "pdu-community");

        CommandOutcome off = driver.execute(Verb.VERB_OUTLET_OFF, 0, "5");

        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(off.readBack()).hasValue(0);
        assertThat(agent.value(new OID(SnmpTestAgent.SWITCHED_STATE).append(20)))
                .isEqualTo(new Integer32(1));
        assertThat(agent.value(new OID(SnmpTestAgent.SWITCHED_STATE).append(5))).isEqualTo(new Integer32(2));
        assertThat(reading(driver.poll(), MetricDictionary.OUTLET_STATE, "5")).isEqualTo(0);
        assertThat(reading(driver.poll(), MetricDictionary.OUTLET_STATE, "20")).isEqualTo(1);
    }

    @Test
    void outletOn_ofAnOffOutlet_isAppliedWithReadBackOn() throws Exception {
        SnmpTestAgent agent = agent("aos-6.7.2");
        Driver driver = driver(agent.port(), SnmpVersion.V2C, "pdu-community");

        CommandOutcome on = driver.execute(Verb.VERB_OUTLET_ON, 0, "24"); // off in the AP8641 recording

        assertThat(on.status()).as(on.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(on.readBack()).hasValue(1);
        assertThat(agent.value(new OID(SnmpTestAgent.SWITCHED_STATE).append(24)))
                .isEqualTo(new Integer32(2));
    }

    @Test
    void outletCommand_forAnOutletTheDeviceDoesNotHave_failsUnknownInstance() throws Exception {
        SnmpTestAgent agent = agent("aos-6.7.2");

        CommandOutcome outcome =
                driver(agent.port(), SnmpVersion.V2C, "pdu-community").execute(Verb.VERB_OUTLET_OFF, 0, "25");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("unknown-instance");
    }

    @Test
    void poll_wrongCommunity_isOfflineTimeout_sayingTheCommunityMayBeWrong() throws Exception {
        SnmpTestAgent agent = agent("aos-6.7.2");
        Driver driver = driver(agent.port(), SnmpVersion.V2C, "other-community");
        long start = System.nanoTime();

        PollResult result = driver.poll();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(2));
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(result.message()).contains("wrong community");
    }

    @Test
    void poll_nothingBoundOnThePort_isOfflineTimeoutWithinTheTimeout() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Driver driver = driver(port, SnmpVersion.V2C, "pdu-community");
        long start = System.nanoTime();

        PollResult result = driver.poll();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(2));
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(result.readings()).isEmpty();
    }

    @Test
    void poll_peerAnsweringGarbage_isOfflineBadResponse_andCountsTheDatagrams() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> replying = CompletableFuture.runAsync(() -> answerWithGarbage(peer));
            Driver driver = driver(peer.getLocalPort(), SnmpVersion.V2C, "pdu-community");

            PollResult result = driver.poll();

            assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
            assertThat(result.reason()).isEqualTo("bad-response");
            assertThat(result.message()).contains("undecodable");
            assertThat(meters.get("headroom.snmp.datagrams.undecodable")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
            peer.close();
            replying.handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void close_duringAPollToASilentDevice_endsThePollPromptly() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture.runAsync(() -> {
                try {
                    silent.receive(new DatagramPacket(new byte[1500], 1500));
                    asked.countDown();
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            Driver driver = driver(silent.getLocalPort(), SnmpVersion.V2C, "pdu-community");
            CompletableFuture<PollResult> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return driver.poll();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();

            driver.close();

            PollResult result = poll.get(TIMEOUT.toMillis() / 2 + 1000, TimeUnit.MILLISECONDS);
            assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
            assertThat(result.reason()).isEqualTo("closed");
        }
    }

    /** Answers every datagram with bytes that are not an SNMP message (a BER SEQUENCE cut short, then text). */
    private static void answerWithGarbage(DatagramSocket peer) {
        byte[] garbage = {0x30, (byte) 0x82, 0x7f, (byte) 0xff, 0x02, 0x01, 'H', 'T', 'T', 'P', '/', '1'};
        try {
            while (!peer.isClosed()) {
                DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                peer.receive(in);
                peer.send(new DatagramPacket(garbage, garbage.length, in.getSocketAddress()));
            }
        } catch (java.io.IOException e) {
            // closed by the test
        }
    }

    private static double reading(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + "[" + instance + "] in " + result))
                .value();
    }

    private static void assertGolden(PollResult result, String caseName) throws Exception {
        JsonNode expected = new ObjectMapper()
                .readTree(CASES.resolve(caseName)
                        .resolve("expected-readings.json")
                        .toFile());
        assertThat(result.health().name())
                .as(result.message())
                .isEqualTo("DEVICE_HEALTH_" + expected.get("health").asText());
        assertThat(result.reason()).isEqualTo(expected.get("reason").asText());
        assertThat(result.identity()).isNotNull();
        assertThat(result.identity().model())
                .isEqualTo(expected.get("identity").get("model").asText());
        assertThat(result.identity().firmware())
                .isEqualTo(expected.get("identity").get("firmware").asText());
        Map<String, Double> actual = new TreeMap<>();
        for (Reading r : result.readings()) {
            actual.put(MetricDictionary.displayKey(r.metric(), r.instance()), r.value());
        }
        Map<String, Double> wanted = new TreeMap<>();
        expected.get("readings")
                .forEach(r -> wanted.put(
                        MetricDictionary.displayKey(
                                r.get("metric").asText(), r.get("instance").asText()),
                        r.get("value").asDouble()));
        assertThat(actual.keySet()).isEqualTo(wanted.keySet());
        wanted.forEach((key, value) -> assertThat(actual.get(key)).as(key).isCloseTo(value, within(1e-9)));
    }
}
