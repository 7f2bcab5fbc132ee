package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.testkit.TestPeers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a certificate made by the {@code openssl} CLI (Debian package {@code openssl}), met by
 * the JDK's own HTTP client trusting only that certificate. A missing openssl skips, unless
 * {@code -Dheadroom.peers=required}.
 */
@Timeout(60)
class ApiTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path cert;
    private static Path key;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path openssl = TestPeers.require("openssl", "openssl", Path.of("/usr/bin/openssl"));
        openssl(
                openssl,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost");
        openssl(openssl, "genrsa", "-traditional", "-out", "pkcs1.key", "2048");
        cert = dir.resolve("server.pem");
        key = dir.resolve("server.key");
    }

    private static ApiSecurity tls(Path keyFile) {
        return new ApiSecurity(
                TestUsers.all(),
                ApiSecurity.DEFAULT_SESSION_TTL,
                ApiSecurity.DEFAULT_MAX_FAILED_LOGINS,
                ApiSecurity.DEFAULT_FAILED_LOGIN_WINDOW,
                List.of(),
                List.of(),
                dir.resolve("audit.jsonl"),
                Optional.of(new ApiSecurity.TlsFiles(cert, keyFile)));
    }

    @Test
    void https_signInSetsASecureCookie_andSameOriginWritesAreHttps() throws Exception {
        try (ApiFixture api = ApiFixture.start(tls(key))) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trusting(cert))
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String base = "https://127.0.0.1:" + api.port();

            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> signIn = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"name\":\"olga\",\"password\":\"" + TestUsers.password("olga") + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = JSON.readTree(signIn.body()).get("token").asText();
            HttpResponse<String> sameOrigin = client.send(
                    command(base, token).header("Origin", base).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plainOrigin = client.send(
                    command(base, token)
                            .header("Origin", "http://127.0.0.1:" + api.port())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(signIn.statusCode()).isEqualTo(200);
            assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow())
                    .contains("HttpOnly")
                    .contains("SameSite=Strict")
                    .endsWith("; Secure");
            assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(202);
            assertThat(plainOrigin.statusCode()).isEqualTo(403);
            assertThat(plainOrigin.body()).contains("foreign-origin");

            // Plaintext HTTP to the TLS port is closed without an HTTP answer.
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = socket.getInputStream().readAllBytes();
                assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1");
            }
        }
    }

    @Test
    void pkcs1Key_refusedAtStart_sayingHowToConvertIt() {
        assertThatThrownBy(() -> ApiFixture.start(tls(dir.resolve("pkcs1.key"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("pkcs1.key")
                .hasMessageContaining("RSA PRIVATE KEY")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    private static HttpRequest.Builder command(String base, String token) {
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/m1/commands"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"verb\":\"sleep\"}"));
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry(
                    "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void openssl(Path openssl, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}
