package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headroom.config.DataSize;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP adapter against an in-JVM server on port 0 that answers as a hostile or broken one would. */
@Timeout(60)
class HttpPriceSourceTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String GOOD = "{\"data\": [{\"lmp\": 42.5, \"interval_start\": \"2026-12-01T09:55:00Z\"}]}";

    HttpServer server;
    final AtomicReference<Handler> handler = new AtomicReference<>(exchange -> reply(exchange, 200, GOOD));
    final CountDownLatch release = new CountDownLatch(1);

    interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/price", exchange -> {
            try {
                handler.get().handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    HttpPriceSource source(Optional<String> timePointer, Duration timeout) {
        return new HttpPriceSource(new MarketConfig.HttpSource(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/price"),
                Duration.ofMinutes(5),
                "/data/0/lmp",
                timePointer,
                timeout,
                DataSize.parse("1KiB")));
    }

    HttpPriceSource source() {
        return source(Optional.of("/data/0/interval_start"), Duration.ofSeconds(10));
    }

    @Test
    void aGoodReply_givesThePointAtItsOwnTime_orAtArrivalWithoutATimePointer() throws Exception {
        HttpPriceSource source = source();
        PricePoint expected = new PricePoint(Instant.parse("2026-12-01T09:55:00Z"), 42.5);

        assertThat(source.poll(NOW)).contains(expected);
        assertThat(source.latest(NOW)).contains(expected);
        assertThat(source.failures()).isZero();

        HttpPriceSource arrival = source(Optional.empty(), Duration.ofSeconds(10));
        assertThat(arrival.poll(NOW)).contains(new PricePoint(NOW, 42.5));

        handler.set(exchange -> reply(exchange, 200, "{\"data\": [{\"lmp\": 43, \"interval_start\": 1796119200}]}"));
        assertThat(source.poll(NOW.plusSeconds(300))).contains(new PricePoint(NOW, 43));
        assertThat(source.series(NOW.minusSeconds(600), NOW.plusSeconds(1)).points())
                .containsExactly(expected, new PricePoint(NOW, 43));
    }

    /** Each bad reply is counted and dropped; the last good point stays. */
    void assertDropped(HttpPriceSource source, String why) throws Exception {
        long before = source.failures();
        assertThat(source.poll(NOW.plusSeconds(60))).isEmpty();
        assertThat(source.failures()).isEqualTo(before + 1);
        assertThat(source.lastFailure()).get().asString().contains(why);
        assertThat(source.latest(NOW.plusSeconds(60)))
                .contains(new PricePoint(Instant.parse("2026-12-01T09:55:00Z"), 42.5));
    }

    @Test
    void garbage_500_aMissingValue_aBadTime_areCountedDrops() throws Exception {
        HttpPriceSource source = source();
        source.poll(NOW);

        handler.set(exchange -> reply(exchange, 200, "\u0000\u00ffnot json at all"));
        assertDropped(source, "reply is not JSON");
        handler.set(exchange -> reply(exchange, 500, "{\"error\": \"down\"}"));
        assertDropped(source, "HTTP 500");
        handler.set(exchange -> reply(exchange, 200, "{\"data\": []}"));
        assertDropped(source, "/data/0/lmp is missing");
        handler.set(exchange -> reply(exchange, 200, "{\"data\": [{\"lmp\": \"42\", \"interval_start\": 1}]}"));
        assertDropped(source, "/data/0/lmp is not a finite number: \"42\"");
        handler.set(exchange -> reply(exchange, 200, "{\"data\": [{\"lmp\": 42, \"interval_start\": \"yesterday\"}]}"));
        assertDropped(source, "time 'yesterday' is neither ISO-8601");
        handler.set(exchange -> reply(exchange, 200, ""));
        assertDropped(source, "empty reply");
        handler.set(exchange -> reply(exchange, 302, ""));
        assertDropped(source, "HTTP 302");
        assertThat(source.polls()).isEqualTo(8);
    }

    @Test
    void anOversizeReply_isDropped_whetherItsLengthIsDeclaredOrStreamed() throws Exception {
        HttpPriceSource source = source();
        source.poll(NOW);
        String huge = "{\"pad\": \"" + "x".repeat(4096) + "\", \"data\": [{\"lmp\": 1}]}";

        handler.set(exchange -> reply(exchange, 200, huge));
        assertDropped(source, "larger than max-body 1024 bytes");
        handler.set(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 1000; i++) {
                out.write("xxxxxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII));
            }
        });
        assertDropped(source, "larger than max-body 1024 bytes");
    }

    @Test
    void aSlowServer_headersOrBody_isDroppedAfterTheTimeout() throws Exception {
        HttpPriceSource source = source(Optional.of("/data/0/interval_start"), Duration.ofMillis(300));
        source.poll(NOW);

        handler.set(exchange -> release.await(30, TimeUnit.SECONDS)); // never answers in time
        assertDropped(source, "no complete reply within PT0.3S");
        handler.set(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"data\": [".getBytes(StandardCharsets.US_ASCII));
            exchange.getResponseBody().flush();
            release.await(30, TimeUnit.SECONDS); // headers and a first byte, then nothing
        });
        assertDropped(source, "no complete reply within PT0.3S");

        handler.set(exchange -> reply(exchange, 200, GOOD.replace("42.5", "44")));
        PricePoint revised = new PricePoint(Instant.parse("2026-12-01T09:55:00Z"), 44);
        assertThat(source.poll(NOW.plusSeconds(120)))
                .as("a good reply after the slow ones")
                .contains(revised);
        assertThat(source.latest(NOW.plusSeconds(120)))
                .as("a revised price for the same interval")
                .contains(revised);
    }

    @Test
    void aServerThatIsNotThere_isACountedDrop() throws Exception {
        HttpPriceSource source = source();
        server.stop(0);
        assertThat(source.poll(NOW)).isEmpty();
        assertThat(source.failures()).isEqualTo(1);
        assertThat(source.latest(NOW)).isEmpty();
    }
}
