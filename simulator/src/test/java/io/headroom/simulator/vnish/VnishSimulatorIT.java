package io.headroom.simulator.vnish;

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
 * The simulated Vnish web API as a hostile client sees it: a wrong password, no token, an unknown or lapsed token, a
 * wrong API key, garbage and oversize bodies, a slow client and a flood of unlocks; the firmware's quirk of
 * accepting a preset it does not have and changing nothing; and the reads and writes on its model. The client is
 * the JDK's, independent of the agent's.
 */
@Timeout(30)
class VnishSimulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T02:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private SimulatedVnish miner;

    @BeforeEach
    void start() throws IOException {
        miner = new SimulatedVnish(SimulatedVnish.S19_PRO, 3, clock, "pw");
    }

    @AfterEach
    void stop() {
        miner.close();
    }

    private HttpResponse<String> send(String method, String path, String header, String value, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + miner.port() + "/api/v1/" + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return send(method, path, token == null ? null : "Authorization", "Bearer " + token, body);
    }

    private String unlock(String password) throws Exception {
        HttpResponse<String> answer = send("POST", "unlock", null, "{\"pw\":\"" + password + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("token").asText();
    }

    private JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> answer = send("GET", path, token, null);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    @Test
    void wrongPassword_andGarbageUnlocks_areRefused_withoutAToken() throws Exception {
        HttpResponse<String> wrong = send("POST", "unlock", null, "{\"pw\":\"nope\"}");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("token");
        for (String garbage : List.of("", "not json", "[]", "{\"pw\":1}", "{\"password\":\"pw\"}")) {
            HttpResponse<String> answer = send("POST", "unlock", null, garbage);
            assertThat(answer.statusCode()).as(garbage).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("err").asText()).contains("pw");
        }
        assertThat(send("GET", "unlock", null, null).statusCode()).isEqualTo(405);
        assertThat(miner.logins()).isZero();
    }

    @Test
    void privatePaths_needAValidTokenOrApiKey_openOnesDoNot() throws Exception {
        for (String path : List.of("autotune/presets", "settings")) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(401);
            assertThat(send("GET", path, "0123456789abcdef", null).statusCode())
                    .as(path)
                    .isEqualTo(401);
            assertThat(send("GET", path, "Authorization", "not-bearer", null).statusCode())
                    .as(path)
                    .isEqualTo(401);
        }
        assertThat(send("POST", "mining/stop", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "mining/stop", "x-api-key", "guess", null).statusCode())
                .isEqualTo(401);
        assertThat(miner.stopped()).isFalse();
        for (String path : List.of("summary", "perf-summary", "info")) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(200);
        }

        String token = unlock("pw");
        assertThat(get("autotune/presets", token).isArray()).isTrue();
        assertThat(send("GET", "nonexistent", token, null).statusCode()).isEqualTo(404);
        miner.setApiKey("k-1");
        assertThat(send("GET", "settings", "x-api-key", "k-1", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void token_lapsesAfterItsTimeoutWithoutUse_andIsRenewedByUse() throws Exception {
        String token = unlock("pw");
        clock.advance(Duration.ofSeconds(SimulatedVnish.TOKEN_TIMEOUT_S - 10));
        assertThat(send("GET", "settings", token, null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(SimulatedVnish.TOKEN_TIMEOUT_S - 10));
        assertThat(send("GET", "settings", token, null).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(SimulatedVnish.TOKEN_TIMEOUT_S + 1));

        assertThat(send("GET", "settings", token, null).statusCode()).isEqualTo(401);
        assertThat(miner.refusals()).isEqualTo(1);
    }

    @Test
    void reads_reportTheModel_inTheFirmwaresShapes() throws Exception {
        clock.advance(Duration.ofMinutes(5));
        String token = unlock("pw");

        JsonNode summary = get("summary", token).path("miner");
        JsonNode perf = get("perf-summary", token);
        JsonNode info = get("info", token);
        JsonNode presets = get("autotune/presets", token);

        miner.model().advanceTo(clock.instant());
        assertThat(summary.path("miner_status").path("miner_state").asText()).isEqualTo("mining");
        assertThat(summary.path("power_consumption").asDouble())
                .isCloseTo(miner.model().powerWatts(), within(1.0));
        assertThat(summary.path("hr_realtime").asDouble() / 1000).isCloseTo(110, within(110 * 0.05));
        assertThat(summary.path("chains")).hasSize(3);
        assertThat(summary.path("chains").get(0).path("id").asInt()).isEqualTo(1);
        assertThat(summary.path("cooling").path("fans")).hasSize(4);
        assertThat(perf.path("current_preset").path("name").asText()).isEqualTo("3250");
        assertThat(info.path("fw_name").asText()).isEqualTo("Vnish");
        assertThat(info.path("hr_measure").asText()).isEqualTo("GH/s");
        assertThat(presets.get(0).path("name").asText()).isEqualTo("disabled");
        assertThat(presets.get(4).path("pretty").asText()).isEqualTo("3250 watt ~ 110 TH");
        assertThat(presets.get(5).path("status").asText()).isEqualTo("untuned");
    }

    @Test
    void listedPreset_isApplied_andPowerRampsToIt() throws Exception {
        String token = unlock("pw");

        HttpResponse<String> answer =
                send("POST", "settings", token, "{\"miner\":{\"overclock\":{\"preset\":\"2600\"}}}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("restart_required").asBoolean(true))
                .isFalse();
        assertThat(miner.currentPresetWatts()).isEqualTo(2600);
        clock.advance(Duration.ofMinutes(2));
        miner.model().advanceTo(clock.instant());
        assertThat(miner.model().powerWatts()).isCloseTo(2600, within(2600 * 0.02));
    }

    @Test
    void wattageWithoutAPreset_isAnsweredTheSame_andChangesNothing() throws Exception {
        String token = unlock("pw");
        HttpResponse<String> good =
                send("POST", "settings", token, "{\"miner\":{\"overclock\":{\"preset\":\"2600\"}}}");

        HttpResponse<String> ignored =
                send("POST", "settings", token, "{\"miner\":{\"overclock\":{\"preset\":\"3000\"}}}");

        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.body()).isEqualTo(good.body());
        assertThat(miner.currentPresetWatts()).isEqualTo(2600);
        assertThat(miner.model().powerTargetWatts()).isEqualTo(2600);
        assertThat(get("perf-summary", token)
                        .path("current_preset")
                        .path("name")
                        .asText())
                .isEqualTo("2600");
    }

    @Test
    void badSettingsAndThrottleBodies_are400_withAnErr() throws Exception {
        String token = unlock("pw");
        for (String body : List.of("", "nope", "[]", "{\"miner\":{\"overclock\":{\"preset\":3000}}}")) {
            HttpResponse<String> answer = send("POST", "settings", token, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).has("err")).isTrue();
        }
        for (String body : List.of("{}", "{\"percent\":19}", "{\"percent\":101}", "{\"percent\":\"50\"}")) {
            assertThat(send("POST", "mining/throttle", token, body).statusCode())
                    .as(body)
                    .isEqualTo(400);
        }
        assertThat(send("POST", "mining/throttle", token, "{\"percent\":50}").statusCode())
                .isEqualTo(200);
        assertThat(miner.throttle()).isEqualTo(50);
        assertThat(miner.model().powerTargetWatts()).isEqualTo(1625);
    }

    @Test
    void stopAndStart_sleepAndWakeTheModel() throws Exception {
        String token = unlock("pw");

        assertThat(send("POST", "mining/stop", token, null).statusCode()).isEqualTo(200);

        assertThat(miner.mode()).isEqualTo(Mode.SLEEP);
        clock.advance(Duration.ofMinutes(1));
        JsonNode stopped = get("summary", token).path("miner");
        assertThat(stopped.path("miner_status").path("miner_state").asText()).isEqualTo("stopped");
        assertThat(stopped.path("power_consumption").asDouble()).isCloseTo(30, within(1.0));

        assertThat(send("POST", "mining/start", token, null).statusCode()).isEqualTo(200);

        assertThat(miner.stopped()).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(get("summary", token).path("miner").path("power_consumption").asDouble())
                .isCloseTo(3250, within(3250 * 0.02));
    }

    @Test
    void oversizeBody_is413_declaredOrNot() throws Exception {
        String token = unlock("pw");
        String big = "{\"pw\":\"" + "x".repeat(SimulatedVnish.MAX_REQUEST_BYTES) + "\"}";

        assertThat(send("POST", "settings", token, big).statusCode()).isEqualTo(413);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/unlock HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
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
        assertThat(miner.currentPresetWatts()).isEqualTo(3250);
        assertThat(miner.logins()).isEqualTo(1);
    }

    @Test
    void slowClient_holdsOneThread_othersAreServed() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("POST /api/v1/unlock HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"p"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body is never finished; meanwhile another client unlocks and reads.
            String token = unlock("pw");
            assertThat(get("autotune/presets", token).isArray()).isTrue();
        }
    }

    @Test
    void flood_ofUnlocks_keepsABoundedTokenTable_andKeepsServing() throws Exception {
        String first = unlock("pw");
        for (int i = 0; i < SimulatedVnish.MAX_TOKENS + 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
                s.setSoTimeout(10_000);
                String body = "{\"pw\":\"pw\"}";
                s.getOutputStream()
                        .write(("POST /api/v1/unlock HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + "Content-Length: "
                                        + body.length() + "\r\n\r\n" + body)
                                .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 200");
            }
        }

        // The first token was the least recently used: evicted.
        assertThat(send("GET", "settings", first, null).statusCode()).isEqualTo(401);
        assertThat(get("settings", unlock("pw"))
                        .path("miner")
                        .path("overclock")
                        .path("preset")
                        .asText())
                .isEqualTo("3250");
    }

    @Test
    void faults_garbage_wrongTypes_oversize_serverError_areServedToReads() throws Exception {
        miner.faults().setGarbage(true);
        assertThat(send("GET", "summary", null, null).body()).startsWith("<html>");
        miner.faults().clear();
        miner.faults().setWrongTypes(true);
        JsonNode typed = get("summary", null);
        assertThat(typed.path("miner").isArray()).as(typed.toString()).isTrue();
        miner.faults().clear();
        miner.faults().setServerError(true);
        assertThat(send("GET", "summary", null, null).statusCode()).isEqualTo(500);
        miner.faults().clear();
        miner.faults().setOversize(true);
        assertThat(send("GET", "summary", null, null).body().length()).isGreaterThan(1 << 20);
    }
}
