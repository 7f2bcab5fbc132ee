package io.headroom.agent.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.headroom.simulator.gpu.GpuServerModel;
import io.headroom.simulator.gpu.GpuSpec;
import io.headroom.simulator.gpu.SimulatedRedfishServer;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shared HTTP transport against in-JVM servers on loopback, each failure with its reason code. */
@Timeout(30)
class HttpTransportTest {

    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final int CAP = 1024;

    @TempDir
    Path dir;

    private HttpServer server;
    private HttpTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        reply("/ok", 200, "{\"a\": 1}", false);
        reply("/array", 200, "[1, 2]", false);
        reply("/garbage", 200, "<html>oops", false);
        reply("/big", 200, "{\"x\":\"" + "y".repeat(4 * CAP) + "\"}", false);
        reply("/chunked-big", 200, "{\"x\":\"" + "y".repeat(4 * CAP) + "\"}", true);
        reply("/denied", 401, "{\"error\": {\"message\": \"no\"}}", false);
        server.start();
        transport =
                HttpTransport.open("test", new HttpTransportSettings(Optional.empty(), CAP), TIMEOUT, "test.ca-file");
    }

    @AfterEach
    void stop() {
        transport.close();
        server.stop(0);
    }

    private void reply(String path, int status, String body, boolean chunked) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private HttpReply get(URI uri) throws Exception {
        return transport.send("GET", uri, Map.of(), HttpRequest.BodyPublishers.noBody(), TIMEOUT);
    }

    private HttpTransportException failure(URI uri) {
        return catchThrowableOfType(HttpTransportException.class, () -> get(uri).json());
    }

    @Test
    void ok_givesTheJsonObject() throws Exception {
        assertThat(get(uri("/ok")).json().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void bodiesOverTheCap_areOversize_declaredOrChunked() {
        assertThat(failure(uri("/big")).reason()).isEqualTo("oversize");
        assertThat(failure(uri("/chunked-big")).reason()).isEqualTo("oversize");
    }

    @Test
    void notJsonOrNotAnObject_isGarbage() {
        HttpTransportException garbage = failure(uri("/garbage"));

        assertThat(garbage.reason()).isEqualTo("garbage");
        assertThat(garbage.getMessage()).contains("/garbage");
        assertThat(failure(uri("/array")).reason()).isEqualTo("garbage");
    }

    @Test
    void statusOutside2xx_isHttpCode_keepingTheBody() {
        HttpTransportException denied = failure(uri("/denied"));

        assertThat(denied.reason()).isEqualTo("http-401");
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.body()).contains("\"no\"");
        assertThat(denied.isConnection()).isFalse();
    }

    @Test
    void statusOutside2xx_keepsTheAnswersHeaders_forADigestChallenge() {
        server.createContext("/challenge", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });

        HttpTransportException challenged = failure(uri("/challenge"));

        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.header("www-authenticate")).hasValue("Digest realm=\"r\", nonce=\"n\"");
        assertThat(failure(uri("/garbage")).header("WWW-Authenticate")).isEmpty();
    }

    @Test
    void nothingListening_isConnectionRefused() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }

        HttpTransportException refused = failure(URI.create("http://127.0.0.1:" + free + "/x"));

        assertThat(refused.reason()).isEqualTo("connection-refused");
        assertThat(refused.isConnection()).isTrue();
    }

    @Test
    void headersThenABodyThatNeverEnds_isTimeout_andCloseEndsAWaitingRequest() throws Exception {
        try (ServerSocket trickle = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            CountDownLatch asked = new CountDownLatch(2);
            // Held to the end: an accepted socket nothing refers to is closed by the JDK's cleaner at the next GC,
            // and the client would then read an end of stream instead of waiting into its timeout.
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread peer = new Thread(() -> {
                while (!trickle.isClosed()) {
                    try {
                        Socket socket = trickle.accept();
                        held.add(socket);
                        InputStream in = socket.getInputStream();
                        in.read(new byte[4096]);
                        asked.countDown();
                        socket.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"
                                        .getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        // Keep the socket open and silent: the rest of the body never comes.
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            peer.setDaemon(true);
            peer.start();
            URI uri = URI.create("http://127.0.0.1:" + trickle.getLocalPort() + "/slow");

            assertThat(failure(uri).reason()).isEqualTo("timeout");

            CompletableFuture<String> waiting =
                    CompletableFuture.supplyAsync(() -> failure(uri).reason());
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
            transport.abort();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("closed");
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void tls_isVerified_againstTheCaFileOnly() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
        GpuServerModel model = new GpuServerModel(GpuSpec.hgxH100(), 1, 1, 25, clock.instant());
        try (SimulatedRedfishServer bmc = SimulatedRedfishServer.start(model, clock, "HGX", "u", "p")) {
            URI root = URI.create("https://127.0.0.1:" + bmc.port() + "/redfish/v1");
            Path ca = Files.writeString(dir.resolve("ca.pem"), bmc.certificatePem());
            Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");

            // A first TLS handshake in a busy JVM can take a while: a generous deadline here.
            Duration handshake = Duration.ofSeconds(10);
            HttpTransportException untrusted;
            try (HttpTransport jdkTrust = HttpTransport.open(
                    "t", new HttpTransportSettings(Optional.empty(), 64 * 1024), handshake, "x.ca-file")) {
                untrusted = catchThrowableOfType(
                        HttpTransportException.class,
                        () -> jdkTrust.send("GET", root, Map.of(), HttpRequest.BodyPublishers.noBody(), handshake));
            }
            HttpTransportException badFile = catchThrowableOfType(
                    HttpTransportException.class,
                    () -> HttpTransport.open(
                            "t", new HttpTransportSettings(Optional.of(notPem), CAP), TIMEOUT, "x.ca-file"));
            String product;
            try (HttpTransport trusting = HttpTransport.open(
                    "t", new HttpTransportSettings(Optional.of(ca), 64 * 1024), handshake, "x.ca-file")) {
                product = trusting.send("GET", root, Map.of(), HttpRequest.BodyPublishers.noBody(), handshake)
                        .json()
                        .get("Product")
                        .asText();
            }

            assertThat(untrusted.reason()).isEqualTo("tls");
            assertThat(badFile.reason()).isEqualTo("tls");
            assertThat(badFile.getMessage()).contains("x.ca-file").contains("not a PEM file");
            assertThat(product).isEqualTo("Simulated HGX H100 8-GPU");
        }
    }

    @Test
    void afterClose_requestsFailClosed() {
        transport.close();

        assertThat(failure(uri("/ok")).reason()).isEqualTo("closed");
    }
}
