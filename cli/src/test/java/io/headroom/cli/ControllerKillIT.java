package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller killed with SIGKILL in the middle of a grid event, as a real process: the packaged
 * {@code headroom controller} runs in a child JVM from the demo's generated {@code controller.yaml},
 * while the simulated site and its agents run here. Killed after it has decided and sent some of the
 * event's commands, then started again from the same files, it must replay its journal: the event is
 * still in force, the commands sent before the kill are known again (their late results are not
 * dropped), the site reaches the target as the meters show it, and nothing it does contradicts what
 * it did before: no miner it slept is woken while the event holds.
 */
@Timeout(400)
class ControllerKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int MINERS = 8;

    @TempDir
    Path workDir;

    private DemoSite demo;
    private Path siteDir;
    private String api;

    @Test
    void killedMidEvent_restartsFromItsJournal_keepsTheEvent_andContradictsNothing() throws Exception {
        ControllerProcess controller = startSiteAndController();
        try {
            // A slow ramp, so that the kill comes while the event is still being carried out.
            String body = JSON.createObjectNode()
                    .put("reduce_percent", 50)
                    .put("end", Instant.now().plusSeconds(900).toString())
                    .put("ramp_seconds", 60)
                    .put("source", "test")
                    .put("reference", "kill-1")
                    .toString();
            HttpResponse<String> created = post("api/v1/grid-events", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = JSON.readTree(created.body()).path("id").asText();

            // Some of the event's commands decided, journaled and sent: then SIGKILL.
            List<JsonNode> before = await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> dispatched(get("api/v1/decisions?limit=500")), d -> !d.isEmpty());
            controller.process().destroyForcibly();
            assertThat(controller.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(controller.process().exitValue())
                    .as("killed by SIGKILL (128 + 9)")
                    .isEqualTo(137);

            Set<String> slept = new HashSet<>();
            List<String> commandIds = new ArrayList<>();
            for (JsonNode decision : before) {
                assertThat(decision.path("event").asText()).isEqualTo(id);
                slept.add(decision.path("device").asText());
                commandIds.add(decision.path("command_id").asText());
            }

            controller = startController();
            awaitAnswering(
                    controller,
                    () -> assertThat(get("api/v1/grid-events/" + id).path("id").asText())
                            .isEqualTo(id));

            // The commands sent before the kill are tracked again, not 404 and forgotten.
            for (String commandId : commandIds) {
                HttpResponse<String> command = send("GET", "api/v1/commands/" + commandId, null);
                assertThat(command.statusCode())
                        .as("%s after the restart: %s", commandId, command.body())
                        .isEqualTo(200);
            }

            // The restarted controller carries the event through: metered site load under the target.
            JsonNode event = await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> get("api/v1/grid-events/" + id),
                            e -> e.path("state").asText().equals("holding"));
            double target = event.path("target_kw").asDouble();
            assertThat(event.path("site_load_source").asText()).isEqualTo("metered");
            assertThat(event.path("site_load_kw").asDouble()).isLessThanOrEqualTo(target);

            // Nothing contradicts what was done before the kill: no restore while the event holds, and
            // every miner slept before it is asleep still.
            JsonNode after = get("api/v1/decisions?limit=500");
            for (JsonNode decision : after) {
                assertThat(decision.path("restore").asBoolean())
                        .as("decision %s while the event holds", decision)
                        .isFalse();
                assertThat(decision.path("event").asText()).isEqualTo(id);
            }
            for (int i = 0; i < MINERS; i++) {
                if (slept.contains(DemoSite.minerId(i))) {
                    assertThat(demo.simulator().miner(i).snapshot().mode())
                            .as("%s, slept before the kill", DemoSite.minerId(i))
                            .isEqualTo(Mode.SLEEP);
                }
            }
        } finally {
            controller.process().destroyForcibly();
            controller.process().waitFor(30, TimeUnit.SECONDS);
            if (demo != null) {
                demo.close();
            }
        }
    }

    private static List<JsonNode> dispatched(JsonNode decisions) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode decision : decisions) {
            if (decision.path("dispatched").asBoolean() && decision.has("command_id")) {
                out.add(decision);
            }
        }
        return out;
    }

    /**
     * The simulated site, then the controller as a child process on two ports found free a moment
     * before. Another socket can take one of them in between (a simulator's listener bound to port 0,
     * an agent's outgoing connection); then the controller stops at once, saying so, and the site is
     * set up again on two other ports: a collision of the test's port pick, not the controller's fault.
     * Any other early exit fails the test with the controller's own log.
     */
    private ControllerProcess startSiteAndController() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(2);
            siteDir = workDir.resolve("attempt-" + attempt);
            demo = DemoSite.startWithoutController(new DemoOptions(
                            "kill-site",
                            MINERS,
                            1,
                            "127.0.0.1",
                            ports[0],
                            ports[1],
                            23L,
                            Duration.ofSeconds(1),
                            siteDir)
                    .withPace(DemoPace.fast()));
            api = "http://127.0.0.1:" + ports[0] + "/";
            ControllerProcess controller = startController();
            try {
                awaitAnswering(controller, () -> {
                    JsonNode site = get("api/v1/site");
                    assertThat(site.path("load_kw").asDouble()).isGreaterThan(MINERS * 2.5);
                    assertThat(site.path("children").get(0).path("source").asText())
                            .isEqualTo("metered");
                });
                return controller;
            } catch (AssertionError e) {
                controller.process().destroyForcibly();
                controller.process().waitFor(30, TimeUnit.SECONDS);
                demo.close();
                demo = null;
                if (attempt == 3 || !controller.log().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits for the controller's API to show {@code check}; fails at once if the controller exits, and
     * either way says what the controller logged, the one account of why it did not answer.
     */
    private static void awaitAnswering(ControllerProcess controller, ThrowingRunnable check) {
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .failFast(
                            "the controller exited", () -> !controller.process().isAlive())
                    .untilAsserted(check);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(
                    e.getMessage() + "; alive " + controller.process().isAlive() + "; its log ends:\n"
                            + controller.logTail(60),
                    e);
        }
    }

    private ControllerProcess startController() throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "headroom.jar");
        assertThat(jar).as("packaged launcher (run in the verify phase)").exists();
        Path log = siteDir.resolve("controller-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "controller",
                        "--config",
                        siteDir.resolve("controller.yaml").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ControllerProcess(process, log);
    }

    /** The controller's child process and the file its output goes to. */
    private record ControllerProcess(Process process, Path logFile) {

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(its log could not be read: " + e + ")";
            }
        }

        String logTail(int lines) {
            List<String> all = log().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /** Free loopback ports, taken and released at once: a test of the controller's own fixed ports. */
    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
