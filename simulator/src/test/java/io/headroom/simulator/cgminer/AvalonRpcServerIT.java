package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Avalon personality over real sockets, used as a hostile client would. */
@Timeout(30)
class AvalonRpcServerIT {
    private static final Instant T0 = Instant.parse("2025-07-25T08:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ManualClock clock;
    private MinerModel model;
    private CgminerRpcServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        clock = new ManualClock(T0);
        model = new MinerModel(AvalonRpc.A1566, 5, 30.0, T0);
        server = CgminerRpcServer.start("avalon-it");
        RpcListener listener = server.listen(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new AvalonRpc(model, MinerIdentity.generate(5, 0), clock, AvalonRpc.Options.defaults()),
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

    @Test
    void estatsAndVersion_areAnswered_likeTheA1566Capture() throws IOException {
        JsonNode version = RpcTestClient.command(address, "version");
        JsonNode estats = RpcTestClient.command(address, "estats");

        assertThat(version.path("VERSION").path(0).path("PROD").asText()).isEqualTo("AvalonMiner 15-194");
        assertThat(version.path("STATUS").path(0).path("Description").asText()).isEqualTo("cgminer 4.11.1");
        assertThat(estats.path("STATS").path(0).path("ID").asText()).isEqualTo("AVA100");
        assertThat(estats.path("STATS").path(0).path("MM ID0").asText())
                .contains("WALLPOWER[")
                .contains("MPO[3515]");
    }

    @Test
    void garbageBytes_badJson_andOversize_getErrors_andTheServerKeepsAnswering() throws IOException {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 53 + 7);
        }
        assertThat(status(MAPPER.readTree(RpcTestClient.exchange(address, binary, 5000))))
                .isEqualTo("E");
        assertThat(status(MAPPER.readTree(RpcTestClient.exchange(address, "{\"command\":\"ascset\",\"parameter\":}"))))
                .isEqualTo("E");
        byte[] oversize = ("{\"command\":\"ascset\",\"parameter\":\"0,worklevel,set," + "1".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        JsonNode reply = MAPPER.readTree(RpcTestClient.exchange(address, oversize, 5000));
        assertThat(status(reply)).isEqualTo("E");
        assertThat(status(RpcTestClient.command(address, "ascset", "0,worklevel,set,1,2,3")))
                .isEqualTo("E");
        assertThat(status(RpcTestClient.command(address, "frobnicate"))).isEqualTo("E");

        assertThat(model.powerTargetWatts()).isEqualTo(3515.0);
        assertThat(status(RpcTestClient.command(address, "estats"))).isEqualTo("S");
    }

    @Test
    void slowClient_thatSendsHalfARequest_doesNotBlockOthers() throws IOException {
        try (Socket slow = new Socket()) {
            slow.connect(address, 5000);
            slow.getOutputStream().write("{\"command\":\"asc".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();

            assertThat(status(RpcTestClient.command(address, "ascset", "0,led,1-1")))
                    .isEqualTo("S");

            slow.setSoTimeout(5000);
            slow.getOutputStream().write("set\",\"parameter\":\"0,led,1-0\"}".getBytes(StandardCharsets.US_ASCII));
            JsonNode reply = MAPPER.readTree(RpcTestClient.readAll(slow.getInputStream()));
            assertThat(reply.path("STATUS").path(0).path("Msg").asText()).isEqualTo("ASC 0 set OK");
        }
    }

    @Test
    void restart_closesLaterConnectionsWithoutAByte_untilTheRebootPeriodEnds() throws IOException {
        JsonNode restart = RpcTestClient.command(address, "restart");
        assertThat(restart.path("STATUS").asText()).isEqualTo("RESTART");

        byte[] silent = RpcTestClient.exchange(address, "{\"command\":\"version\"}");
        assertThat(silent).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        assertThat(status(RpcTestClient.command(address, "version"))).isEqualTo("S");
    }
}
