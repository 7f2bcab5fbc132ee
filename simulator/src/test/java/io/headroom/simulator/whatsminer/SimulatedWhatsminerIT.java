package io.headroom.simulator.whatsminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import io.headroom.simulator.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated Whatsminer over real loopback sockets, used as a hostile client would: garbage, oversize
 * frames, a 4 GiB length prefix, wrong passwords, too many tokens, slow clients. The client side here is
 * written against the scheme (reference/DEVICES.md §4.3) with the simulator's {@link SimCrypto}.
 */
@Timeout(30)
class SimulatedWhatsminerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-18T22:00:00Z");

    private ManualClock clock;
    private SimulatedWhatsminer miner;

    @BeforeEach
    void start() throws IOException {
        clock = new ManualClock(T0);
        miner = new SimulatedWhatsminer(SimulatedWhatsminer.M30S_PLUS_PLUS, 7, clock, "admin-pw", "super-pw");
    }

    @AfterEach
    void stop() {
        miner.close();
    }

    private JsonNode v2(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.v2Port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return JSON.readTree(readAll(s.getInputStream()));
        }
    }

    private JsonNode v3(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.v3Port())) {
            s.setSoTimeout(5000);
            byte[] body = request.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(FrameServer.lengthPrefix(body.length));
            s.getOutputStream().write(body);
            return JSON.readTree(readFrame(s.getInputStream()));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String readFrame(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        assertThat(header).hasSize(4);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16 | (header[3] & 0xFF) << 24;
        assertThat(length).isBetween(1, 1 << 20);
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A v2 write as the firmware expects it: token, host_sign, AES envelope. */
    private JsonNode v2Write(String password, String plainWithoutToken) throws IOException {
        JsonNode token = v2("{\"command\":\"get_token\"}");
        assertThat(token.path("Code").asInt()).isEqualTo(134);
        JsonNode msg = token.path("Msg");
        String passwordMd5 = SimCrypto.md5CryptHash(password, msg.path("salt").asText());
        String sign = SimCrypto.md5CryptHash(
                passwordMd5 + msg.path("time").asText(), msg.path("newsalt").asText());
        SecretKeySpec key = SimCrypto.aesKey(passwordMd5);
        String plain = plainWithoutToken.substring(0, plainWithoutToken.length() - 1) + ",\"token\":\"" + sign + "\"}";
        JsonNode reply = v2("{\"enc\":1,\"data\":\"" + SimCrypto.encrypt(key, plain) + "\"}");
        if (reply.has("enc")) {
            return JSON.readTree(SimCrypto.decryptOrNull(key, reply.path("enc").asText()));
        }
        return reply;
    }

    @Test
    void v2Reads_haveTheFixtureShapes_andFollowTheModel() throws IOException {
        JsonNode summary = v2("{\"command\":\"summary\"}");
        JsonNode version = v2("{\"command\":\"get_version\"}");

        assertThat(summary.path("STATUS").path(0).path("STATUS").asText()).isEqualTo("S");
        assertThat(summary.path("SUMMARY").path(0).path("Power").asDouble())
                .isCloseTo(miner.model().snapshot().powerWatts(), within(1.0));
        assertThat(summary.path("SUMMARY").path(0).path("Power Limit").asInt()).isEqualTo(3300);
        assertThat(version.path("Msg").path("api_ver").asText()).isEqualTo("2.0.5");
    }

    @Test
    void v2Write_withTheRightPassword_sleepsTheModel() throws IOException {
        JsonNode reply = v2Write("admin-pw", "{\"cmd\":\"power_off\",\"respbefore\":\"true\"}");

        assertThat(reply.path("Code").asInt()).isEqualTo(131);
        assertThat(miner.model().mode()).isEqualTo(Mode.SLEEP);
    }

    @Test
    void v2Write_withAWrongPassword_is135_andChangesNothing() throws IOException {
        JsonNode reply = v2Write("wrong", "{\"cmd\":\"power_off\",\"respbefore\":\"true\"}");

        assertThat(reply.path("Code").asInt()).isEqualTo(135);
        assertThat(miner.model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void v2Write_withAnExpiredToken_is135() throws IOException {
        JsonNode token = v2("{\"command\":\"get_token\"}").path("Msg");
        String md5 = SimCrypto.md5CryptHash("admin-pw", token.path("salt").asText());
        String sign = SimCrypto.md5CryptHash(
                md5 + token.path("time").asText(), token.path("newsalt").asText());
        clock.advance(Duration.ofMinutes(31));

        String plain = "{\"cmd\":\"power_off\",\"token\":\"" + sign + "\"}";
        JsonNode reply = v2("{\"enc\":1,\"data\":\"" + SimCrypto.encrypt(SimCrypto.aesKey(md5), plain) + "\"}");

        assertThat(reply.path("Code").asInt()).isEqualTo(135);
    }

    @Test
    void v2Tokens_beyondTheLimit_are136_untilTheyExpire() throws IOException {
        miner.v2().setMaxTokens(2);
        v2("{\"command\":\"get_token\"}");
        v2("{\"command\":\"get_token\"}");

        assertThat(v2("{\"command\":\"get_token\"}").path("Code").asInt()).isEqualTo(136);
        clock.advance(Duration.ofMinutes(30));
        assertThat(v2("{\"command\":\"get_token\"}").path("Code").asInt()).isEqualTo(134);
    }

    @Test
    void v2WriteApiOff_is45() throws IOException {
        miner.v2().setWriteApiEnabled(false);

        assertThat(v2("{\"command\":\"get_token\"}").path("Code").asInt()).isEqualTo(45);
    }

    @Test
    void v2Garbage_isAnsweredWithAnError_andTheServerKeepsServing() throws IOException {
        assertThat(v2("\u0000\u00ff{{{not json}").path("STATUS").asText()).isEqualTo("E");
        assertThat(v2("{\"enc\":1,\"data\":\"%%%\"}").path("Code").asInt()).isEqualTo(135);
        StringBuilder huge = new StringBuilder("{\"command\":\"");
        huge.append("x".repeat(200_000));
        assertThat(v2(huge.toString()).path("STATUS").asText()).isEqualTo("E");
        assertThat(v2("{\"command\":\"summary\"}").path("SUMMARY").isArray()).isTrue();
    }

    @Test
    void v2Quirks_sendTheTemp0Shape() throws IOException {
        miner.faults().setQuirks(true);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.v2Port())) {
            s.getOutputStream().write("{\"command\":\"summary\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(readAll(s.getInputStream())).contains("\"Power Mode\":\"Normal\"\"temp0\":55.5,");
        }
    }

    @Test
    void v3_readsAndSaltedWrites() throws IOException {
        String salt = v3("{\"cmd\":\"get.device.info\",\"param\":\"salt\"}")
                .path("msg")
                .path("salt")
                .asText();
        long ts = clock.instant().getEpochSecond();
        String token = SimCrypto.v3Token("set.miner.power_limit", "super-pw", salt, ts);

        JsonNode reply = v3("{\"cmd\":\"set.miner.power_limit\",\"param\":2500,\"ts\":" + ts
                + ",\"account\":\"super\",\"token\":\"" + token + "\"}");
        JsonNode summary = v3("{\"cmd\":\"get.miner.status\",\"param\":\"summary\"}");

        assertThat(reply.path("code").asInt()).isZero();
        assertThat(summary.path("msg").path("summary").path("power-limit").asInt())
                .isEqualTo(2500);
        assertThat(miner.model().powerTargetWatts()).isEqualTo(2500);
    }

    @Test
    void v3_wrongPasswordOrStaleTs_isRefused() throws IOException {
        String salt = miner.v3().salt();
        long ts = clock.instant().getEpochSecond();
        String wrong = SimCrypto.v3Token("set.miner.service", "nope", salt, ts);
        String stale = SimCrypto.v3Token("set.miner.service", "super-pw", salt, ts - 600);

        assertThat(v3("{\"cmd\":\"set.miner.service\",\"param\":\"stop\",\"ts\":" + ts
                                + ",\"account\":\"super\",\"token\":\"" + wrong + "\"}")
                        .path("msg")
                        .asText())
                .isEqualTo("invalid token");
        assertThat(v3("{\"cmd\":\"set.miner.service\",\"param\":\"stop\",\"ts\":" + (ts - 600)
                                + ",\"account\":\"super\",\"token\":\"" + stale + "\"}")
                        .path("code")
                        .asInt())
                .isEqualTo(-3);
        assertThat(miner.model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void v3_aFourGibLengthPrefix_isRefusedWithoutAllocating_andTheServerKeepsServing() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.v3Port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            JsonNode reply = JSON.readTree(readFrame(s.getInputStream()));
            assertThat(reply.path("code").asInt()).isEqualTo(-2);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(v3("{\"cmd\":\"get.device.info\"}").path("code").asInt()).isZero();
    }

    @Test
    void v3_garbageInAFrame_isAnErrorReply() throws IOException {
        assertThat(v3("\u0001\u0002 not json").path("code").asInt()).isEqualTo(-2);
        assertThat(v3("{\"cmd\":\"no.such\"}").path("code").asInt()).isEqualTo(-1);
    }

    @Test
    void slowClients_areClosedAfterTheIdleTimeout_andNeverStarveOthers() throws Exception {
        miner.setIdleTimeout(Duration.ofMillis(500));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < FrameServer.MAX_CONNECTIONS + 4; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.v2Port());
                s.getOutputStream().write("{\"comm".getBytes(StandardCharsets.UTF_8));
                slow.add(s);
            }
            // Every slow connection ends: the extra ones at once, the others at the idle timeout.
            for (Socket s : slow) {
                s.setSoTimeout(5000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(v2("{\"command\":\"summary\"}")
                                    .path("SUMMARY")
                                    .isArray())
                            .isTrue());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void adjustPowerLimit_rebootsTheModel_thenMinesAtTheNewLimit() throws IOException {
        miner.setRebootTime(Duration.ofSeconds(30));

        JsonNode reply = v2Write("admin-pw", "{\"cmd\":\"adjust_power_limit\",\"power_limit\":\"2800\"}");
        clock.advance(Duration.ofSeconds(5));
        miner.advance();
        double during = miner.model().snapshot().powerWatts();
        double hashDuring = miner.model().snapshot().hashrateThs();
        clock.advance(Duration.ofMinutes(3));
        miner.advance();

        assertThat(reply.path("Code").asInt()).isEqualTo(131);
        assertThat(miner.reboots()).isEqualTo(1);
        assertThat(during).isLessThan(100);
        assertThat(hashDuring).isZero();
        assertThat(miner.model().snapshot().powerWatts()).isCloseTo(2800, within(2800 * 0.03));
    }

    @Test
    void adjustPowerLimit_aboveNominal_is132() throws IOException {
        JsonNode reply = v2Write("admin-pw", "{\"cmd\":\"adjust_power_limit\",\"power_limit\":\"4000\"}");

        assertThat(reply.path("Code").asInt()).isEqualTo(132);
        assertThat(miner.reboots()).isZero();
    }

    @Test
    void aRequestSplitInTwo_isStillOneRequest() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.v2Port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("{\"comma".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("nd\":\"status\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(JSON.readTree(readAll(s.getInputStream())).path("Code").asInt())
                    .isEqualTo(131);
        }
    }
}
