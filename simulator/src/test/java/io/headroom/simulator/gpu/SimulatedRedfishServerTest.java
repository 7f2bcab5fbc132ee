package io.headroom.simulator.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulator.time.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulated BMC over real HTTPS on loopback, used as a hostile client would. */
@Timeout(60)
class SimulatedRedfishServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private SimulatedRedfishServer bmc;
    private SSLContext trusting;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        GpuServerModel model = new GpuServerModel(GpuSpec.hgxH100(), 1, 1.0, 25, T0);
        bmc = SimulatedRedfishServer.start(model, clock, "HGX", "admin", "s3cret");
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry(
                "bmc",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(
                                new ByteArrayInputStream(bmc.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
        client = trustingClient();
    }

    private HttpClient trustingClient() {
        return HttpClient.newBuilder()
                .sslContext(trusting)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() {
        bmc.close();
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + bmc.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String user, String password) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("UserName", user, "Password", password));
        return send(HttpRequest.newBuilder(uri("/redfish/v1/SessionService/Sessions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void serviceRoot_needsNoCredentials_andNamesTheProduct() throws Exception {
        HttpResponse<String> root = send(HttpRequest.newBuilder(uri("/redfish/v1/")));

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(root.body()).path("Product").asText()).isEqualTo("Simulated HGX H100 8-GPU");
    }

    @Test
    void wrongPassword_is401WithARedfishError_andMakesNoSession() throws Exception {
        HttpResponse<String> refused = login("admin", "guess");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText())
                .isEqualTo("Base.1.8.NoValidSession");
        assertThat(refused.headers().firstValue("X-Auth-Token")).isEmpty();
        assertThat(bmc.sessionsCreated()).isZero();
    }

    @Test
    void resources_withoutOrWithForgedCredentials_are401() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics")))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics"))
                                .header("X-Auth-Token", "0000"))
                        .statusCode())
                .isEqualTo(401);
        String wrongBasic =
                "Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes(StandardCharsets.UTF_8));
        assertThat(send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics"))
                                .header("Authorization", wrongBasic))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics"))
                                .header("Authorization", "Basic !!not-base64!!"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void session_tokenWorks_untilDeleted() throws Exception {
        HttpResponse<String> session = login("admin", "s3cret");
        String token = session.headers().firstValue("X-Auth-Token").orElseThrow();
        String location = session.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics"))
                .header("X-Auth-Token", token));
        HttpResponse<String> deleted =
                send(HttpRequest.newBuilder(uri(location)).DELETE().header("X-Auth-Token", token));
        HttpResponse<String> after = send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics"))
                .header("X-Auth-Token", token));

        assertThat(session.statusCode()).isEqualTo(201);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(metrics.body())
                        .path("PowerWatts")
                        .path("Reading")
                        .asDouble())
                .isCloseTo(6800, org.assertj.core.api.Assertions.within(30.0));
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(bmc.deletedSessions()).containsExactly(location.substring(location.lastIndexOf('/') + 1));
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void patchOutOfRange_is400NamingTheRange_andKeepsTheCap() throws Exception {
        String token =
                login("admin", "s3cret").headers().firstValue("X-Auth-Token").orElseThrow();

        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/Controls/PowerLimit"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"SetPoint\": 1000}"))
                .header("X-Auth-Token", token));
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/Power"))
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString(
                                "{\"PowerControl\":[{\"PowerLimit\":{\"LimitInWatts\":4400}}]}"))
                .header("X-Auth-Token", token));

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("Base.1.8.PropertyValueOutOfRange");
        assertThat(error.path("@Message.ExtendedInfo").path(0).path("Message").asText())
                .contains("2800 to 6800");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(bmc.model().powerCapWatts()).isEqualTo(4400);
    }

    @Test
    void garbageAndOversizeBodies_areRefused_andTheServerGoesOn() throws Exception {
        String token =
                login("admin", "s3cret").headers().firstValue("X-Auth-Token").orElseThrow();

        HttpResponse<String> garbage = send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/Controls/PowerLimit"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{SetPoint: 5000,,"))
                .header("X-Auth-Token", token));
        HttpResponse<String> garbageLogin = send(HttpRequest.newBuilder(uri("/redfish/v1/SessionService/Sessions"))
                .POST(HttpRequest.BodyPublishers.ofString("\u0000\u0001 not json")));
        byte[] huge = new byte[SimulatedRedfishServer.MAX_REQUEST_BYTES * 4];
        java.util.Arrays.fill(huge, (byte) 'x');
        int oversize;
        try {
            oversize = send(HttpRequest.newBuilder(uri("/redfish/v1/SessionService/Sessions"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(huge)))
                    .statusCode();
        } catch (java.io.IOException closedEarly) {
            oversize = 413; // the server may close before the client has sent it all
        }

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbageLogin.statusCode()).isEqualTo(400);
        assertThat(oversize).isEqualTo(413);
        assertThat(bmc.model().powerCapWatts()).isEqualTo(6800);
        // A new client: the connection the oversize upload was cut on is not one to reuse.
        client = trustingClient();
        assertThat(send(HttpRequest.newBuilder(uri("/redfish/v1"))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void slowClientAndPlainTcpGarbage_doNotStopOtherClients() throws Exception {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), bmc.port());
                SSLSocket slow = (SSLSocket)
                        trusting.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), bmc.port())) {
            OutputStream garbage = plain.getOutputStream();
            garbage.write("GET / HTTP/1.1\r\n\r\n not tls at all".getBytes(StandardCharsets.US_ASCII));
            garbage.flush();
            slow.startHandshake();
            slow.getOutputStream().write("GET /redfish/v1 HTTP/1.1\r\nHost: x".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();

            HttpResponse<String> meanwhile = send(HttpRequest.newBuilder(uri("/redfish/v1")));

            assertThat(meanwhile.statusCode()).isEqualTo(200);
        }
        assertThat(send(HttpRequest.newBuilder(uri("/redfish/v1"))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void answers_followTheModelAtTheClocksTime() throws Exception {
        String token =
                login("admin", "s3cret").headers().firstValue("X-Auth-Token").orElseThrow();
        bmc.model().setPowerCapWatts(2800);

        clock.advance(Duration.ofSeconds(10));
        JsonNode metrics = JSON.readTree(send(HttpRequest.newBuilder(uri("/redfish/v1/Chassis/HGX/EnvironmentMetrics"))
                        .header("X-Auth-Token", token))
                .body());

        assertThat(metrics.path("PowerWatts").path("Reading").asDouble())
                .isCloseTo(2800, org.assertj.core.api.Assertions.within(0.1));
        assertThat(metrics.path("PowerLimitWatts").path("SetPoint").asDouble()).isEqualTo(2800);
    }
}
