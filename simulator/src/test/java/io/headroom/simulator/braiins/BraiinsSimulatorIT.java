package io.headroom.simulator.braiins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated Braiins OS REST API as a hostile client sees it: wrong credentials, no token, an unknown or
 * lapsed token, garbage and oversize bodies, a slow client and a flood of logins; and the reads and writes on its
 * model. The client is the JDK's, independent of the agent's.
 */
@Timeout(30)
class BraiinsSimulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T20:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private SimulatedBraiins miner;

    @BeforeEach
    void start() throws IOException {
        miner = new SimulatedBraiins(SimulatedBraiins.S19_XP, 3, clock, "pw");
    }

    @AfterEach
    void stop() {
        miner.close();
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + miner.port() + "/api/v1/" + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login(String password) throws Exception {
        HttpResponse<String> answer =
                send("POST", "auth/login", null, "{\"username\":\"root\",\"password\":\"" + password + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("timeout_s").asInt()).isEqualTo(SimulatedBraiins.TOKEN_TIMEOUT_S);
        return body.path("token").asText();
    }

    private JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> answer = send("GET", path, token, null);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    @Test
    void wrongPassword_wrongUser_andGarbageLogins_areRefused_withoutAToken() throws Exception {
        assertThat(send("POST", "auth/login", null, "{\"username\":\"root\",\"password\":\"nope\"}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "auth/login", null, "{\"username\":\"admin\",\"password\":\"pw\"}")
                        .statusCode())
                .isEqualTo(401);
        for (String garbage :
                List.of("", "not json", "[]", "{\"username\":1,\"password\":2}", "{\"username\":\"root\"}")) {
            assertThat(send("POST", "auth/login", null, garbage).statusCode())
                    .as(garbage)
                    .isEqualTo(400);
        }
        assertThat(send("GET", "auth/login", null, null).statusCode()).isEqualTo(405);
        assertThat(miner.logins()).isZero();
    }

    @Test
    void everyOtherPath_needsAValidToken() throws Exception {
        for (String path : List.of("miner/stats", "miner/details", "performance/tuner-state", "nonexistent")) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(401);
            assertThat(send("GET", path, "0123456789abcdef", null).statusCode())
                    .as(path)
                    .isEqualTo(401);
        }
        assertThat(send("PUT", "actions/pause", "", null).statusCode()).isEqualTo(401);
        assertThat(miner.paused()).isFalse();

        String token = login("pw");

        assertThat(get("miner/stats", token).has("power_stats")).isTrue();
        assertThat(send("GET", "nonexistent", token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void token_lapsesAfterItsTimeoutWithoutUse_andIsRenewedByUse() throws Exception {
        String token = login("pw");
        clock.advance(Duration.ofSeconds(SimulatedBraiins.TOKEN_TIMEOUT_S - 10));
        assertThat(send("GET", "version/", token, null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(SimulatedBraiins.TOKEN_TIMEOUT_S - 10));
        assertThat(send("GET", "version/", token, null).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(SimulatedBraiins.TOKEN_TIMEOUT_S + 1));

        assertThat(send("GET", "version/", token, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "version/", token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void reads_reportTheModel_inTheFirmwaresShapes() throws Exception {
        clock.advance(Duration.ofMinutes(5));
        String token = login("pw");

        JsonNode stats = get("miner/stats", token);
        JsonNode details = get("miner/details", token);
        JsonNode boards = get("miner/hw/hashboards", token);
        JsonNode cooling = get("cooling/state", token);
        JsonNode tuner = get("performance/tuner-state", token);

        var truth = miner.model().snapshot();
        assertThat(stats.at("/power_stats/approximated_consumption/watt").asDouble())
                .isCloseTo(truth.powerWatts(), within(1.0));
        assertThat(stats.at("/miner_stats/real_hashrate/last_5s/gigahash_per_second")
                        .asDouble())
                .isCloseTo(truth.hashrateThs() * 1000, within(1e-6));
        assertThat(details.at("/miner_identity/miner_model").asText()).isEqualTo("Antminer S19 XP");
        assertThat(details.path("status").asInt()).isEqualTo(BraiinsBodies.STATUS_NORMAL);
        assertThat(boards.path("hashboards")).hasSize(3);
        assertThat(boards.at("/hashboards/0/highest_chip_temp/temperature/degree_c")
                        .asDouble())
                .isEqualTo(truth.boards().get(0).maxChipTempC());
        assertThat(cooling.path("fans")).hasSize(4);
        assertThat(tuner.at("/mode_state/powertargetmodestate/current_target/watt")
                        .asLong())
                .isEqualTo(3137);
        assertThat(get("pools/", token).isArray()).isTrue();
        assertThat(get("actions/locate", token).isBoolean()).isTrue();
    }

    @Test
    void powerTarget_isAppliedWithinTheConstraints_andRefusedOutside() throws Exception {
        String token = login("pw");
        JsonNode range = get("configuration/constraints", token).at("/tuner_constraints/power_target");
        long min = range.at("/min/watt").asLong();
        long max = range.at("/max/watt").asLong();

        for (String bad : List.of(
                "{\"watt\":" + (min - 1) + "}",
                "{\"watt\":" + (max + 1) + "}",
                "{\"watt\":\"2000\"}",
                "{\"watt\":2000.5}",
                "{}",
                "garbage")) {
            assertThat(send("PUT", "performance/power-target", token, bad).statusCode())
                    .as(bad)
                    .isEqualTo(400);
        }
        assertThat(miner.model().powerTargetWatts()).isEqualTo(3137);

        HttpResponse<String> answer = send("PUT", "performance/power-target", token, "{\"watt\":2500}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("watt").asLong()).isEqualTo(2500);
        assertThat(get("configuration/miner", token)
                        .at("/tuner/power_target/watt")
                        .asLong())
                .isEqualTo(2500);
        clock.advance(Duration.ofMinutes(1));
        assertThat(get("miner/stats", token)
                        .at("/power_stats/approximated_consumption/watt")
                        .asDouble())
                .isCloseTo(2500, within(2500 * 0.02));
    }

    @Test
    void pauseAndResume_sleepAndWakeTheModel() throws Exception {
        String token = login("pw");

        HttpResponse<String> paused = send("PUT", "actions/pause", token, null);

        assertThat(paused.body()).isEqualTo("false");
        assertThat(miner.mode()).isEqualTo(Mode.SLEEP);
        assertThat(get("miner/details", token).path("status").asInt()).isEqualTo(BraiinsBodies.STATUS_PAUSED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(get("miner/stats", token)
                        .at("/power_stats/approximated_consumption/watt")
                        .asDouble())
                .isCloseTo(SimulatedBraiins.S19_XP.sleepWatts(), within(1.0));
        assertThat(send("PUT", "actions/pause", token, null).body()).isEqualTo("true");

        send("PUT", "actions/resume", token, null);

        assertThat(miner.mode()).isEqualTo(Mode.NORMAL);
        assertThat(get("miner/details", token).path("status").asInt()).isEqualTo(BraiinsBodies.STATUS_NORMAL);
    }

    @Test
    void oversizeBody_is413_declaredOrNot() throws Exception {
        String token = login("pw");
        String big = "{\"watt\":\"" + "x".repeat(SimulatedBraiins.MAX_REQUEST_BYTES) + "\"}";

        assertThat(send("PUT", "performance/power-target", token, big).statusCode())
                .isEqualTo(413);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[4096];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 5; i++) {
                out.write("1000\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        assertThat(miner.model().powerTargetWatts()).isEqualTo(3137);
    }

    @Test
    void slowClient_holdsOneThread_othersAreServed() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"user"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body is never finished; meanwhile another client logs in and reads.
            String token = login("pw");
            assertThat(get("miner/details", token).path("status").asInt()).isEqualTo(BraiinsBodies.STATUS_NORMAL);
        }
    }

    @Test
    void flood_ofLogins_keepsABoundedTokenTable_andKeepsServing() throws Exception {
        String first = login("pw");
        for (int i = 0; i < SimulatedBraiins.MAX_TOKENS + 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
                s.setSoTimeout(10_000);
                String body = "{\"username\":\"root\",\"password\":\"pw\"}";
                s.getOutputStream()
                        .write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                        + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 200");
            }
        }

        // The first token was the least recently used: evicted.
        assertThat(send("GET", "version/", first, null).statusCode()).isEqualTo(401);
        assertThat(get("version/", login("pw")).path("minor").asInt()).isEqualTo(3);
    }

    @Test
    void faults_garbage_wrongTypes_oversize_serverError_areServedToAuthenticatedReads() throws Exception {
        String token = login("pw");
        miner.faults().setGarbage(true);
        assertThat(send("GET", "miner/stats", token, null).body()).startsWith("<html>");
        miner.faults().clear();
        miner.faults().setWrongTypes(true);
        JsonNode typed = get("miner/stats", token);
        assertThat(typed.at("/power_stats/0/approximated_consumption/0/watt").isTextual())
                .as(typed.toString())
                .isTrue();
        miner.faults().clear();
        miner.faults().setServerError(true);
        assertThat(send("GET", "miner/stats", token, null).statusCode()).isEqualTo(500);
        miner.faults().clear();
        miner.faults().setOversize(true);
        assertThat(send("GET", "miner/stats", token, null).body()).hasSize(SimulatedBraiins.OVERSIZE_BYTES);
    }
}
