package io.headroom.simulator.antminer;

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
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated stock Antminer web UI as a hostile client sees it: Digest challenges, wrong and stale and
 * replayed credentials, garbage and oversize bodies, a slow client and a flood; and sleep/wake on its model.
 * The client here is the JDK's plus a hand-written MD5 Digest (RFC 7616), independent of the agent's.
 */
@Timeout(30)
class AntminerSimulatorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T20:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private SimulatedAntminer miner;

    @BeforeEach
    void start() throws IOException {
        miner = new SimulatedAntminer(SimulatedAntminer.S21, 3, clock, "pw");
    }

    @AfterEach
    void stop() {
        miner.close();
    }

    private URI uri(String cgi) {
        return URI.create("http://127.0.0.1:" + miner.port() + "/cgi-bin/" + cgi + ".cgi");
    }

    private HttpResponse<String> send(String method, String cgi, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(cgi))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String nonce(HttpResponse<?> response) {
        Matcher m =
                NONCE.matcher(response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String authorization(String method, String cgi, String nonce, String password, int nc)
            throws Exception {
        String uri = "/cgi-bin/" + cgi + ".cgi";
        String ncText = String.format("%08x", nc);
        String ha1 = md5("root:" + DigestServer.REALM + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + ncText + ":c0ffee:auth:" + ha2);
        return "Digest username=\"root\", realm=\"" + DigestServer.REALM + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", algorithm=MD5, response=\"" + response + "\", qop=auth, nc=" + ncText + ", cnonce=\"c0ffee\"";
    }

    /** A fresh nonce, from an unauthenticated request's challenge. */
    private String challenge() throws Exception {
        return nonce(send("GET", "stats", null, null));
    }

    @Test
    void noCredentials_is401WithADigestChallenge() throws Exception {
        HttpResponse<String> response = send("GET", "stats", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Digest realm=\"antMiner Configuration\"")
                .contains("qop=\"auth\"", "algorithm=MD5")
                .doesNotContain("stale");
    }

    @Test
    void rightCredentials_areServed_andEveryCgiAnswersJson() throws Exception {
        String nonce = challenge();
        int nc = 1;
        for (String cgi : new String[] {"stats", "summary", "get_miner_conf", "get_system_info", "get_blink_status"}) {
            HttpResponse<String> response = send("GET", cgi, authorization("GET", cgi, nonce, "pw", nc++), null);
            assertThat(response.statusCode()).as(cgi).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).isObject()).as(cgi).isTrue();
        }
        JsonNode stats = JSON.readTree(send("GET", "stats", authorization("GET", "stats", nonce, "pw", nc), null)
                .body());
        assertThat(stats.path("INFO").path("type").asText()).isEqualTo("Antminer S21");
        assertThat(stats.path("STATS").path(0).path("chain")).hasSize(3);
    }

    @Test
    void wrongPassword_is401WithAFreshNonce_notStale_andAnsweredAtOnce() throws Exception {
        String nonce = challenge();

        HttpResponse<String> response = send("GET", "stats", authorization("GET", "stats", nonce, "nope", 1), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(nonce(response)).isNotEqualTo(nonce);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .doesNotContain("stale");
        assertThat(miner.refusals()).isEqualTo(1);
    }

    @Test
    void expiredNonce_withRightCredentials_is401Stale() throws Exception {
        miner.setNonceLifetime(Duration.ofSeconds(30));
        String nonce = challenge();
        clock.advance(Duration.ofMinutes(1));

        HttpResponse<String> response = send("GET", "stats", authorization("GET", "stats", nonce, "pw", 1), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("stale=true");
        assertThat(miner.refusals()).isZero();
    }

    @Test
    void replayedNonceCount_isRefused() throws Exception {
        String nonce = challenge();
        String header = authorization("GET", "stats", nonce, "pw", 1);
        assertThat(send("GET", "stats", header, null).statusCode()).isEqualTo(200);

        assertThat(send("GET", "stats", header, null).statusCode()).isEqualTo(401);
    }

    @Test
    void credentialsForAnotherUri_areRefused() throws Exception {
        String nonce = challenge();

        HttpResponse<String> response =
                send("GET", "get_miner_conf", authorization("GET", "stats", nonce, "pw", 1), null);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void garbageAuthorizationHeaders_are401_neverAnError() throws Exception {
        for (String header : new String[] {
            "Digest", "Digest ,,,===\"\"\"", "Basic cm9vdDpwdw==", "Digest nonce=\"x\"", "Digest " + "a=b,".repeat(2000)
        }) {
            assertThat(send("GET", "stats", header, null).statusCode())
                    .as(header)
                    .isEqualTo(401);
        }
        String nonce = challenge();
        assertThat(send("GET", "stats", authorization("GET", "stats", nonce, "pw", 1), null)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void garbageConfiguration_isRefusedInTheFirmwaresWords_andChangesNothing() throws Exception {
        String nonce = challenge();

        HttpResponse<String> response =
                send("POST", "set_miner_conf", authorization("POST", "set_miner_conf", nonce, "pw", 1), "{not json");
        HttpResponse<String> badMode = send(
                "POST",
                "set_miner_conf",
                authorization("POST", "set_miner_conf", nonce, "pw", 2),
                "{\"miner-mode\": 7}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("M001");
        assertThat(JSON.readTree(badMode.body()).path("stats").asText()).isEqualTo("error");
        assertThat(miner.confWrites()).isZero();
        assertThat(miner.workMode()).isEqualTo("0");
    }

    @Test
    void oversizeBody_is413_declaredOrNot() throws Exception {
        String nonce = challenge();
        String big = "{\"pools\":\"" + "x".repeat(SimulatedAntminer.MAX_REQUEST_BYTES) + "\"}";

        HttpResponse<String> declared =
                send("POST", "set_miner_conf", authorization("POST", "set_miner_conf", nonce, "pw", 1), big);
        assertThat(declared.statusCode()).isEqualTo(413);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /cgi-bin/set_miner_conf.cgi HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[4096];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 5; i++) {
                out.write("1000\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        assertThat(miner.confWrites()).isZero();
    }

    @Test
    void slowClient_holdsOneThread_othersAreServed() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /cgi-bin/stats.cgi HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The request is never finished; meanwhile another client is served in full.
            String nonce = challenge();
            HttpResponse<String> response =
                    send("GET", "summary", authorization("GET", "summary", nonce, "pw", 1), null);
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void flood_ofUnauthenticatedRequests_keepsServing() throws Exception {
        for (int i = 0; i < DigestServer.MAX_NONCES + 100; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), miner.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write("GET /cgi-bin/stats.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 401");
            }
        }
        String nonce = challenge();
        assertThat(send("GET", "stats", authorization("GET", "stats", nonce, "pw", 1), null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(miner.challenges()).isGreaterThan(DigestServer.MAX_NONCES);
    }

    @Test
    void sleepAndWake_followTheModel_andKeepThePostedConfiguration() throws Exception {
        clock.advance(Duration.ofMinutes(5));
        miner.model().advanceTo(clock.instant());
        double mining = miner.model().snapshot().powerWatts();
        String nonce = challenge();
        JsonNode conf = JSON.readTree(
                send("GET", "get_miner_conf", authorization("GET", "get_miner_conf", nonce, "pw", 1), null)
                        .body());
        String sleep = ((com.fasterxml.jackson.databind.node.ObjectNode) conf.deepCopy())
                .put("miner-mode", 1)
                .toString();

        HttpResponse<String> answer =
                send("POST", "set_miner_conf", authorization("POST", "set_miner_conf", nonce, "pw", 2), sleep);

        assertThat(JSON.readTree(answer.body()).path("code").asText()).isEqualTo("M000");
        assertThat(miner.workMode()).isEqualTo("1");
        assertThat(miner.mode()).isEqualTo(Mode.SLEEP);
        assertThat(miner.conf().path("pools")).isEqualTo(conf.path("pools"));
        clock.advance(Duration.ofMinutes(1));
        JsonNode asleep = JSON.readTree(send("GET", "stats", authorization("GET", "stats", nonce, "pw", 3), null)
                .body());
        assertThat(asleep.path("STATS").path(0).path("rate_5s").asDouble()).isZero();
        assertThat(asleep.path("STATS").path(0).path("watt").asDouble())
                .isCloseTo(SimulatedAntminer.S21.sleepWatts(), within(5.0));
        assertThat(mining).isGreaterThan(3000);

        String wake = ((com.fasterxml.jackson.databind.node.ObjectNode) conf.deepCopy())
                .put("miner-mode", 0)
                .toString();
        send("POST", "set_miner_conf", authorization("POST", "set_miner_conf", nonce, "pw", 4), wake);
        clock.advance(Duration.ofMinutes(3));
        JsonNode awake = JSON.readTree(send("GET", "stats", authorization("GET", "stats", nonce, "pw", 5), null)
                .body());
        assertThat(awake.path("STATS").path(0).path("watt").asDouble()).isGreaterThan(3000);
        assertThat(awake.path("STATS").path(0).path("rate_5s").asDouble()).isGreaterThan(150_000);
    }
}
