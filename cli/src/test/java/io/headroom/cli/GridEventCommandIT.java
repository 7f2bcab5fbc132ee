package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventListener;
import io.headroom.controller.grid.GridEventState;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom grid-event …} against a real controller API on a loopback port. */
@Timeout(120)
class GridEventCommandIT {
    static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");

    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final GridEventBook book = new GridEventBook(GridEventListener.NONE, new SimpleMeterRegistry());
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
        GridEvents grid = GridEvents.of(
                book, (request, now) -> ApiClient.JSON.createObjectNode().put("would_act_on", 3));
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
                grid);
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
        GridEventCommand.environment = System::getenv;
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
            "grid-event",
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

    @Test
    void create_list_show_dryRun_cancel() {
        Run created = run(as(
                operatorPassword,
                "create",
                "--target-kw",
                "600",
                "--end",
                "2026-12-01T18:00:00Z",
                "--ramp-seconds",
                "600",
                "--reference",
                "4cp-1"));

        assertThat(created.exit()).as(created.err()).isZero();
        String id = created.out().strip();
        assertThat(book.get(id)).isPresent();
        assertThat(book.get(id).orElseThrow().event().rampSeconds()).isEqualTo(600);
        assertThat(book.get(id).orElseThrow().event().createdBy()).isEqualTo("olga");

        Run again = run(as(
                operatorPassword,
                "create",
                "--target-kw",
                "550",
                "--end",
                "2026-12-01T18:00:00Z",
                "--reference",
                "4cp-1"));
        assertThat(again.out().strip()).as("same reference, same event").isEqualTo(id);

        Run list = run(as(viewerPassword, "list"));
        assertThat(list.exit()).isZero();
        assertThat(list.out().strip())
                .isEqualTo(id + "\tramping\t550.0\t2026-12-01T15:00:00Z\t2026-12-01T18:00:00Z\t4cp-1");

        Run show = run(as(viewerPassword, "show", id));
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("\"compliance\" : [ ]").contains("\"revision\" : 2");

        Run dry = run(as(operatorPassword, "dry-run", "--reduce-percent", "10", "--end", "2026-12-01T16:00:00Z"));
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("\"would_act_on\" : 3").contains("\"id\" : \"dry-run\"");
        assertThat(book.list()).hasSize(1);

        Run cancelled = run(as(operatorPassword, "cancel", id));
        assertThat(cancelled.exit()).isZero();
        assertThat(cancelled.out().strip()).isEqualTo(id + " cancelled");
        assertThat(book.get(id).orElseThrow().state()).isEqualTo(GridEventState.CANCELLED);

        Run twice = run(as(operatorPassword, "cancel", id));
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("refused (409)").contains("cancelled already");
    }

    @Test
    void refusals_exit2_withTheApisReasons() {
        Run invalid = run(as(operatorPassword, "create", "--reduce-percent", "130", "--priority", "urgent"));
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err())
                .contains("refused (400)")
                .contains("reduce_percent: must be in (0, 100], got 130")
                .contains("end: required")
                .contains("priority: must be normal or emergency, got 'urgent'");

        Run viewer = run(as(viewerPassword, "create", "--target-kw", "600", "--end", "2026-12-01T18:00:00Z"));
        assertThat(viewer.exit()).isEqualTo(2);
        assertThat(viewer.err()).contains("refused (403)").contains("needs operator");

        Run unknown = run(as(viewerPassword, "show", "../../etc/passwd"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("refused (404)");

        Path wrong = dir.resolve("wrong.pw");
        Run badPassword =
                run("grid-event", "list", "--url", url, "--user", "olga", "--password-file", wrong.toString());
        assertThat(badPassword.exit()).isEqualTo(2);
        assertThat(badPassword.err()).contains("--password-file: cannot read");
        assertThat(book.list()).isEmpty();
    }

    @Test
    void passwordFromTheEnvironment_andNoneAtAll() throws Exception {
        GridEventCommand.environment = Map.of(ApiClient.PASSWORD_ENV, "vera-pw")::get;
        Run fromEnv = run("grid-event", "list", "--url", url, "--user", "vera");
        assertThat(fromEnv.exit()).as(fromEnv.err()).isZero();

        GridEventCommand.environment = name -> null;
        Run none = run("grid-event", "list", "--url", url, "--user", "vera");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no password: give --password-file or set HEADROOM_PASSWORD");

        GridEventCommand.environment = Map.of(ApiClient.PASSWORD_ENV, "not-it")::get;
        Run wrong = run("grid-event", "list", "--url", url, "--user", "vera");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("refused (401)");

        assertThat(run("grid-event", "list", "--url", url, "--user", "vera", "--password", "x")
                        .exit())
                .as("no --password option")
                .isEqualTo(2);
    }

    @Test
    void nobodyListening_exit3() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run(
                "grid-event",
                "list",
                "--url",
                "http://127.0.0.1:" + port,
                "--user",
                "olga",
                "--password-file",
                operatorPassword.toString());

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("cannot reach the controller at http://127.0.0.1:" + port);
    }
}
