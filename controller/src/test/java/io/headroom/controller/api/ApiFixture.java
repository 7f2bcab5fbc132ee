package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * An API server for security tests: one online miner {@code m1} (set-power-target 1200..3300 W in
 * steps of 100, sleep, wake) on a steppable clock, the {@link TestUsers}, and a raw HTTP client
 * that can send any header (Host included) from any loopback source address.
 */
final class ApiFixture implements AutoCloseable {
    static final String SITE = "demo";
    static final ObjectMapper JSON = new ObjectMapper();

    final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final RecordingPublisher publisher = new RecordingPublisher();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final io.headroom.controller.history.History history = new io.headroom.controller.history.History(registry);
    final ApiContext context;
    /** The ingest that took rack-1's Birth and Data; tests send other agents' messages through it. */
    final Ingest ingest;

    ApiServer server;

    private ApiFixture(ApiServerConfig config) throws Exception {
        this(config, GridEvents.unconfigured());
    }

    private ApiFixture(ApiServerConfig config, GridEvents gridEvents) throws Exception {
        this(
                config,
                gridEvents,
                java.util.Optional.empty(),
                io.headroom.controller.reservation.Reservations.unconfigured());
    }

    private ApiFixture(
            ApiServerConfig config,
            GridEvents gridEvents,
            java.util.Optional<io.headroom.controller.market.Market> market,
            io.headroom.controller.reservation.Reservations reservations)
            throws Exception {
        StateStore store = new StateStore();
        store.bindTo(registry);
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry, Ingest.DEFAULT_CLOCK_TOLERANCE, history);
        ingest.agentConnected("rack-1");
        ingest.agentMessage(
                Topics.agent(SITE, "rack-1", TopicKind.BIRTH),
                ByteBuffer.wrap(WireCodec.encode(
                        birth("rack-1", 9, 1, 1).addDevices(miner("m1", 10)).build())));
        ingest.agentMessage(
                Topics.agent(SITE, "rack-1", TopicKind.DATA),
                ByteBuffer.wrap(WireCodec.encode(data(9, 2, clock.millis())
                        .addAlias(10)
                        .addValue(3250)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build())));
        context = new ApiContext(
                SITE,
                store,
                commands,
                registry,
                () -> true,
                ingest::connectedAgents,
                clock,
                clock.instant(),
                SiteResource.unconfigured(clock),
                new io.headroom.controller.engine.DecisionLog(),
                gridEvents,
                java.util.Optional.empty(),
                market,
                () -> ApiContext.NO_ALERTS,
                reservations,
                history);
        server = ApiServer.start(config, context);
    }

    static ApiFixture start(ApiSecurity security) throws Exception {
        return start(security, c -> c);
    }

    static ApiFixture start(ApiSecurity security, UnaryOperator<ApiServerConfig> change) throws Exception {
        return new ApiFixture(change.apply(ApiServerConfig.defaults("127.0.0.1", 0, security)));
    }

    /** A server that also serves {@code /api/v1/reservations} from {@code reservations}. */
    static ApiFixture start(ApiSecurity security, io.headroom.controller.reservation.Reservations reservations)
            throws Exception {
        return new ApiFixture(
                ApiServerConfig.defaults("127.0.0.1", 0, security),
                GridEvents.unconfigured(),
                java.util.Optional.empty(),
                reservations);
    }

    /** A server that also serves {@code /api/v1/grid-events} from {@code gridEvents}. */
    static ApiFixture start(ApiSecurity security, GridEvents gridEvents) throws Exception {
        return new ApiFixture(ApiServerConfig.defaults("127.0.0.1", 0, security), gridEvents);
    }

    /** A server that also serves {@code /api/v1/market} from {@code market}. */
    static ApiFixture start(ApiSecurity security, io.headroom.controller.market.Market market) throws Exception {
        return new ApiFixture(
                ApiServerConfig.defaults("127.0.0.1", 0, security),
                GridEvents.unconfigured(),
                java.util.Optional.of(market),
                io.headroom.controller.reservation.Reservations.unconfigured());
    }

    /** Stops the server and starts a new one with the same state and settings, as after a restart. */
    void restart(ApiServerConfig config) throws Exception {
        server.close();
        server = ApiServer.start(config, context);
    }

    int port() {
        return server.localAddress().getPort();
    }

    /** One raw HTTP/1.1 exchange ({@code Connection: close}) from {@code source}. */
    Reply send(String source, String method, String path, String headers, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            return Reply.parse(readAll(socket.getInputStream()));
        }
    }

    Reply send(String method, String path, String headers, String body) throws IOException {
        return send("127.0.0.1", method, path, headers, body);
    }

    /** A JSON write as a same-origin page or curl would send it. */
    Reply post(String path, String headers, String body) throws IOException {
        return send(
                "POST", path, "Host: 127.0.0.1:" + port() + "\r\nContent-Type: application/json\r\n" + headers, body);
    }

    Reply get(String path, String headers) throws IOException {
        return send("GET", path, "Host: 127.0.0.1:" + port() + "\r\n" + headers, "");
    }

    /** Signs in from {@code source}; the reply carries the token and cookie. */
    Reply signIn(String source, String name, String password) throws IOException {
        return send(
                source,
                "POST",
                "/api/v1/session",
                "Host: 127.0.0.1:" + port() + "\r\nContent-Type: application/json\r\n",
                "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}");
    }

    /** A bearer header line for {@code name}, signed in with its test password. */
    String bearer(String name) throws IOException {
        Reply reply = signIn("127.0.0.1", name, TestUsers.password(name));
        if (reply.status != 200) {
            throw new AssertionError("sign-in of " + name + " failed: " + reply);
        }
        return "Authorization: Bearer " + reply.json().get("token").asText() + "\r\n";
    }

    double counter(String name, String tagKey, String tagValue) {
        var counter = registry.find(name).tag(tagKey, tagValue).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    /** A parsed response. */
    record Reply(int status, String head, String body) {
        static Reply parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0) {
                return new Reply(-1, text, "");
            }
            String head = text.substring(0, split);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Reply(status, head, text.substring(split + 4));
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String reason() throws IOException {
            return json().path("reason").asText();
        }

        /** A header's value, or null; names compared case-insensitively. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0
                        && line.substring(0, colon)
                                .trim()
                                .toLowerCase(Locale.ROOT)
                                .equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
