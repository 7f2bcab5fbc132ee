package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle connections cannot use up the file descriptors (issue 8, problem 3): past the cap each new
 * connection is closed on accept and counted, and once the crowd leaves the API serves again.
 */
@Timeout(60)
class ApiConnectionCapIT {
    private static final int CAP = 20;
    private static final int EXTRA = 300;

    @TempDir
    Path dir;

    @Test
    void pastTheCap_connectionsClosedAtOnceAndCounted_thenServedAgain() throws Exception {
        ApiSecurity security = ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl"));
        try (ApiFixture api = ApiFixture.start(
                security,
                c -> new ApiServerConfig(
                        c.bindHost(), c.port(), Duration.ofSeconds(30), c.maxRequestBytes(), CAP, c.security()))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    Socket socket = new Socket("127.0.0.1", api.port());
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream()
                            .write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    byte[] head = new byte[12];
                    assertThat(socket.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
                    assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                    held.add(socket);
                }
                int closed = 0;
                for (int i = 0; i < EXTRA; i++) {
                    try (Socket extra = new Socket("127.0.0.1", api.port())) {
                        extra.setSoTimeout(10_000);
                        InputStream in = extra.getInputStream();
                        if (in.read() == -1) {
                            closed++;
                        }
                    } catch (java.net.SocketException e) {
                        closed++; // reset by the server's close: refused just the same
                    }
                }

                assertThat(closed).isEqualTo(EXTRA);
                assertThat(api.registry
                                .get("headroom.http.connections.refused")
                                .counter()
                                .count())
                        .isEqualTo(EXTRA);
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(api.get("/health", "").status()).isEqualTo(200));
        }
    }
}
