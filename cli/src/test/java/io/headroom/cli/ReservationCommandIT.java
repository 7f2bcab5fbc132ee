package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.reservation.CapacityCheck;
import io.headroom.controller.reservation.CapacityPlanner;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationListener;
import io.headroom.controller.reservation.ReservationScope;
import io.headroom.controller.reservation.Reservations;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom reservation …} against a real controller API on a loopback port. */
@Timeout(120)
class ReservationCommandIT {
    static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");

    /** Any scope: limit 1,000 kW, line 950, load 800, 100 kW freeable: at most 250 kW fits. */
    static final CapacityPlanner PLANNER = new CapacityPlanner() {
        @Override
        public List<CapacityCheck> check(ReservationScope scope, double kw, ToDoubleFunction<ReservationScope> p) {
            return List.of(
                    new CapacityCheck(scope.toString(), 1000, 950, 800, 0, 100, 20, kw, 0, Math.max(0, kw - 150)));
        }

        @Override
        public boolean contains(ReservationScope outer, ReservationScope inner) {
            return outer.equals(inner);
        }
    };

    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final ReservationBook book = new ReservationBook(PLANNER, ReservationListener.NONE, new SimpleMeterRegistry());
    PrometheusMeterRegistry registry;
    ApiServer server;
    String url;
    Path operatorPassword;
    Path viewerPassword;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        CommandService commands =
                new CommandService("demo", store, (topic, payload, retain, expiry) -> 0, clock, registry);
        ApiContext context = new ApiContext(
                "demo",
                store,
                commands,
                registry,
                () -> true,
                () -> 0,
                clock,
                NOW,
                SiteResource.unconfigured(clock),
                new io.headroom.controller.engine.DecisionLog(),
                GridEvents.unconfigured(),
                Optional.empty(),
                Optional.empty(),
                () -> ApiContext.NO_ALERTS,
                Reservations.of(book));
        List<ApiUser> users = List.of(
                new ApiUser("olga", ApiRole.OPERATOR, PasswordHash.create("olga-pw".toCharArray())),
                new ApiUser("vera", ApiRole.VIEWER, PasswordHash.create("vera-pw".toCharArray())));
        server = ApiServer.start(
                ApiServerConfig.defaults("127.0.0.1", 0, ApiSecurity.plaintext(users, dir.resolve("audit.jsonl"))),
                context);
        url = "http://127.0.0.1:" + server.localAddress().getPort();
        operatorPassword = Files.writeString(dir.resolve("olga.pw"), "olga-pw\n");
        viewerPassword = Files.writeString(dir.resolve("vera.pw"), "vera-pw\n");
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Headroom.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    String[] as(Path password, String command, String... rest) {
        String[] base = {
            "reservation",
            command,
            "--url",
            url,
            "--user",
            password == operatorPassword ? "olga" : "vera",
            "--password-file",
            password.toString()
        };
        String[] all = new String[base.length + rest.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(rest, 0, all, base.length, rest.length);
        return all;
    }

    String[] create(Path password, String kw, String scope) {
        return as(
                password,
                "create",
                "--kw",
                kw,
                "--scope",
                scope,
                "--start",
                "2026-12-01T16:00:00Z",
                "--end",
                "2026-12-01T18:00:00Z",
                "--lead-seconds",
                "600",
                "--reference",
                "train-42");
    }

    @Test
    void create_list_show_cancel() {
        Run created = run(create(operatorPassword, "200", "feed:feed-a"));
        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.out().strip();
        assertThat(id).startsWith("rsv-");
        assertThat(book.get(id).orElseThrow().path("created_by").asText()).isEqualTo("olga");

        Run listed = run(as(viewerPassword, "list"));
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains(id + "\tscheduled\t200.0\tfeed feed-a\t2026-12-01T16:00:00Z");

        Run shown = run(as(viewerPassword, "show", id));
        assertThat(shown.exit()).isZero();
        assertThat(shown.out()).contains("\"lead_seconds\" : 600").contains("\"samples\"");

        Run cancelled = run(as(operatorPassword, "cancel", id));
        assertThat(cancelled.exit()).isZero();
        assertThat(cancelled.out().strip()).isEqualTo(id + " cancelled");
    }

    @Test
    void refusals_exit2_withTheArithmetic() {
        Run impossible = run(create(operatorPassword, "400", "feed:feed-a"));
        assertThat(impossible.exit()).isEqualTo(2);
        assertThat(impossible.err()).contains("refused (422)").contains("short by 150.0 kW");
        assertThat(book.list()).isEmpty();

        Run viewer = run(create(viewerPassword, "100", "feed:feed-a"));
        assertThat(viewer.exit()).isEqualTo(2);
        assertThat(viewer.err()).contains("refused (403)").contains("needs operator");

        Run badScope = run(create(operatorPassword, "100", "feed-a"));
        assertThat(badScope.exit()).isEqualTo(2);
        assertThat(badScope.err()).contains("--scope is KIND:ID");

        Run badKind = run(create(operatorPassword, "100", "device:m1"));
        assertThat(badKind.exit()).isEqualTo(2);
        assertThat(badKind.err()).contains("scope.kind 'device'");
        assertThat(book.list()).isEmpty();
    }

    @Test
    void unreachable_exit3() throws Exception {
        server.close();
        Run run = run(as(operatorPassword, "list"));
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).isNotBlank();
    }
}
