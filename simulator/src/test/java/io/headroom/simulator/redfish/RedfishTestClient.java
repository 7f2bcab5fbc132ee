package io.headroom.simulator.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulator.gpu.SimulatedRedfishServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A JDK HTTPS client that trusts one simulated Redfish server's certificate, for hostile tests. */
final class RedfishTestClient {

    static final ObjectMapper JSON = new ObjectMapper();

    final SSLContext trusting;
    private final HttpClient client;
    private final SimulatedRedfishServer server;

    RedfishTestClient(SimulatedRedfishServer server) throws Exception {
        this.server = server;
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry(
                "bmc",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(
                                new ByteArrayInputStream(server.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
        client = HttpClient.newBuilder()
                .sslContext(trusting)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in and returns the token. */
    String token(String user, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("UserName", user, "Password", password));
        return send(HttpRequest.newBuilder(uri("/redfish/v1/SessionService/Sessions"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)))
                .headers()
                .firstValue("X-Auth-Token")
                .orElseThrow();
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("X-Auth-Token", token));
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("X-Auth-Token", token));
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}
