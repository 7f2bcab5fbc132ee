package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One simulated LuxOS miner over real loopback sockets. */
@Timeout(30)
class CgminerRpcServerIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private ManualClock clock;
    private MinerModel model;
    private CgminerRpcServer server;
    private RpcListener listener;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        clock = new ManualClock(T0);
        model = new MinerModel(MinerSpec.S19_XP, 7, 25.0, T0);
        server = CgminerRpcServer.start("test-rpc");
        listener = server.listen(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new LuxosRpc(model, MinerIdentity.generate(7, 0), clock, 7),
                new Faults());
        address = listener.address();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String status(JsonNode reply) {
        return reply.path("STATUS").path(0).path("STATUS").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "summary", "stats", "devs", "pools", "power", "config", "fans", "temps"})
    void reportCommand_replyHasTheShapeOfTheRealLuxosCapture(String command) throws IOException {
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isPositive();
        JsonNode capture;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/luxos-2025.4.8/" + command + ".json")) {
            assertThat(in).as("fixture for %s", command).isNotNull();
            capture = MAPPER.readTree(in);
        }

        JsonNode reply = RpcTestClient.command(address, command);

        assertThat(status(reply)).isEqualTo("S");
        assertThat(reply.path("STATUS").path(0).path("Code").asInt())
                .isEqualTo(capture.path("STATUS").path(0).path("Code").asInt());
        List<String> mismatches = new ArrayList<>();
        compareShape("", capture, reply, mismatches);
        assertThat(mismatches)
                .as("fields missing or of another JSON type than in the capture")
                .isEmpty();
    }

    /** Every field of the capture is in the reply with the same JSON type (arrays: first elements). */
    private static void compareShape(String path, JsonNode expected, JsonNode actual, List<String> mismatches) {
        if (!typeOf(expected).equals(typeOf(actual))) {
            mismatches.add(path + ": " + typeOf(expected) + " expected, got " + typeOf(actual));
            return;
        }
        if (expected.isObject()) {
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                compareShape(path + "." + field.getKey(), field.getValue(), actual.path(field.getKey()), mismatches);
            }
        } else if (expected.isArray() && !expected.isEmpty()) {
            int elements = path.equals(".STATS") ? 2 : 1;
            for (int i = 0; i < elements; i++) {
                compareShape(path + "[" + i + "]", expected.path(i), actual.path(i), mismatches);
            }
        }
    }

    private static String typeOf(JsonNode node) {
        if (node.isMissingNode()) {
            return "missing";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isFloatingPointNumber()) {
            return "float";
        }
        return node.getNodeType().name().toLowerCase();
    }

    @Test
    void multiCommand_summaryPlusStats_returnsEachFullReplyUnderItsName() throws IOException {
        JsonNode reply = RpcTestClient.command(address, "summary+stats");

        assertThat(reply.path("id").asInt()).isEqualTo(1);
        assertThat(status(reply.path("summary").path(0))).isEqualTo("S");
        assertThat(reply.path("summary")
                        .path(0)
                        .path("SUMMARY")
                        .path(0)
                        .path("GHS 5s")
                        .asDouble())
                .isEqualTo(reply.path("stats")
                        .path(0)
                        .path("STATS")
                        .path(1)
                        .path("GHS 5s")
                        .asDouble())
                .isPositive();
        assertThat(reply.path("stats")
                        .path(0)
                        .path("STATS")
                        .path(1)
                        .path("chain_rate1")
                        .isTextual())
                .isTrue();
    }

    @Test
    void plainTextForm_isAnswered() throws IOException {
        JsonNode summary = MAPPER.readTree(RpcTestClient.exchange(address, "summary|"));
        JsonNode version = MAPPER.readTree(RpcTestClient.exchange(address, "version\n"));

        assertThat(summary.path("SUMMARY").path(0).path("GHS 5s").asDouble()).isPositive();
        assertThat(version.path("VERSION").path(0).path("Type").asText()).isEqualTo("Antminer S19 XP");
    }

    @Test
    void logonAndCurtailSleep_configSaysSleepAndPowerFallsAsTheClockSteps() throws IOException {
        double mining = RpcTestClient.command(address, "power")
                .path("POWER")
                .path(0)
                .path("Watts")
                .asDouble();
        String sid = RpcTestClient.command(address, "logon")
                .path("SESSION")
                .path(0)
                .path("SessionID")
                .asText();
        assertThat(sid).isNotEmpty();

        JsonNode curtail = RpcTestClient.command(address, "curtail", sid + ",sleep");
        assertThat(status(curtail)).isEqualTo("S");
        assertThat(curtail.path("CURTAIL").path(0).path("Action").asText()).isEqualTo("sleep");
        JsonNode config = RpcTestClient.command(address, "config");
        assertThat(config.path("CONFIG").path(0).path("CurtailMode").asText()).isEqualTo("Sleep");

        double previous = mining;
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(5));
            double watts = RpcTestClient.command(address, "power")
                    .path("POWER")
                    .path(0)
                    .path("Watts")
                    .asDouble();
            assertThat(watts).isLessThan(previous);
            assertThat(watts).isCloseTo(Math.round(model.snapshot().powerWatts()), within(0.5));
            previous = watts;
        }
        assertThat(previous).isLessThan(40);
        JsonNode stats = RpcTestClient.command(address, "stats").path("STATS").path(1);
        assertThat(stats.path("chain_rate1").asText()).isEqualTo("0.00");
    }

    @Test
    void curtail_withoutSessionOrWithWrongOne_isRefused() throws IOException {
        assertThat(status(RpcTestClient.command(address, "curtail", "sleep"))).isEqualTo("E");
        assertThat(status(RpcTestClient.command(address, "curtail"))).isEqualTo("E");
        RpcTestClient.command(address, "logon");
        assertThat(status(RpcTestClient.command(address, "curtail", "deadbeef,sleep")))
                .isEqualTo("E");

        JsonNode config = RpcTestClient.command(address, "config");
        assertThat(config.path("CONFIG").path(0).path("CurtailMode").asText()).isEqualTo("None");
    }

    @Test
    void secondLogon_whileASessionIsActive_isRefused() throws IOException {
        assertThat(status(RpcTestClient.command(address, "logon"))).isEqualTo("S");
        JsonNode second = RpcTestClient.command(address, "logon");
        assertThat(status(second)).isEqualTo("E");
        assertThat(second.has("SESSION")).isFalse();
    }

    @Test
    void unknownCommand_isInvalidCommandCode14() throws IOException {
        JsonNode reply = RpcTestClient.command(address, "frobnicate");
        assertThat(status(reply)).isEqualTo("E");
        assertThat(reply.path("STATUS").path(0).path("Code").asInt()).isEqualTo(14);
        assertThat(reply.path("STATUS").path(0).path("Msg").asText()).isEqualTo("Invalid command");
    }

    @Test
    void garbageAndOversizeRequests_getAnErrorAndTheServerKeepsAnswering() throws IOException {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 37 + 11);
        }
        JsonNode binaryReply = MAPPER.readTree(RpcTestClient.exchange(address, binary, 5000));
        assertThat(status(binaryReply)).isEqualTo("E");

        JsonNode badJson = MAPPER.readTree(RpcTestClient.exchange(address, "{\"command\":}"));
        assertThat(badJson.path("STATUS").path(0).path("Code").asInt()).isEqualTo(23);

        byte[] oversize = ("{\"command\":\"summary\",\"parameter\":\"" + "x".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        JsonNode oversizeReply = MAPPER.readTree(RpcTestClient.exchange(address, oversize, 5000));
        assertThat(oversizeReply.path("STATUS").path(0).path("Code").asInt()).isEqualTo(23);

        assertThat(status(RpcTestClient.command(address, "summary"))).isEqualTo("S");
    }

    @Test
    void requestSplitAcrossWrites_isAnsweredOnceComplete() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("{\"comm".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getOutputStream().write("and\":\"power\"}".getBytes(StandardCharsets.US_ASCII));
            JsonNode reply = MAPPER.readTree(RpcTestClient.readAll(socket.getInputStream()));
            assertThat(reply.path("POWER").path(0).path("Watts").asInt()).isPositive();
        }
    }

    @Test
    void clientClosingWithoutARequest_doesNotDisturbOthers() throws IOException {
        for (int i = 0; i < 5; i++) {
            new Socket(address.getAddress(), address.getPort()).close();
        }
        assertThat(status(RpcTestClient.command(address, "version"))).isEqualTo("S");
    }

    @Test
    void hangFault_acceptsButNeverAnswers_untilCleared() throws IOException {
        listener.faults().setHang(true);
        assertThatThrownBy(() -> RpcTestClient.exchange(
                        address, "{\"command\":\"summary\"}".getBytes(StandardCharsets.US_ASCII), 300))
                .isInstanceOf(SocketTimeoutException.class);

        listener.faults().setHang(false);
        assertThat(status(RpcTestClient.command(address, "summary"))).isEqualTo("S");
    }

    @Test
    void refuseFault_closesTheListener_andClearingItListensOnTheSamePort() throws IOException {
        listener.faults().setRefuse(true);
        assertThatThrownBy(() -> RpcTestClient.command(address, "summary")).isInstanceOf(ConnectException.class);

        listener.faults().setRefuse(false);
        assertThat(listener.address()).isEqualTo(address);
        assertThat(status(RpcTestClient.command(address, "summary"))).isEqualTo("S");
    }

    @Test
    void garbageFault_repliesBytesThatAreNotJson() throws IOException {
        listener.faults().setGarbage(true);
        byte[] reply = RpcTestClient.exchange(address, "{\"command\":\"summary\"}");
        assertThat(reply).isNotEmpty();
        assertThatThrownBy(() -> MAPPER.readTree(reply)).isInstanceOf(IOException.class);

        listener.faults().clear();
        assertThat(status(RpcTestClient.command(address, "summary"))).isEqualTo("S");
    }

    @Test
    void quirksFault_emitsFirmwareQuirksThatATolerantParserRepairs() throws IOException {
        listener.faults().setQuirks(true);
        String text = new String(RpcTestClient.exchange(address, "{\"command\":\"stats\"}"), StandardCharsets.UTF_8);

        assertThat(text).endsWith("\0").contains(",}").contains("}{");
        assertThatThrownBy(() -> MAPPER.readTree(text)).isInstanceOf(IOException.class);
        JsonNode repaired =
                MAPPER.readTree(text.replace("\0", "").replace(",}", "}").replace("}{", "},{"));
        assertThat(repaired.path("STATS").path(1).path("chain_rate1").isTextual())
                .isTrue();
    }

    @Test
    void listenerClose_isIdempotentAndRefusesConnections() {
        listener.close();
        listener.close();
        assertThatThrownBy(() -> RpcTestClient.command(address, "summary")).isInstanceOf(ConnectException.class);
    }
}
