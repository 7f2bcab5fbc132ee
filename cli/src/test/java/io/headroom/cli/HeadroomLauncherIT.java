package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the packaged launcher jar ({@code cli/target/headroom.jar} with its {@code lib/}) as an
 * operator would, and follows the instructions it prints: the web API lists every miner of the
 * default demo site ONLINE within 15 s of the command, {@code tail}
 * decodes live traffic, and Ctrl-C (SIGTERM) stops everything and removes the generated secrets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeadroomLauncherIT {
    private static final Pattern WEB = Pattern.compile("Web UI and API\\s+(http://\\S+)");
    private static final Pattern TAIL =
            Pattern.compile("\\./headroom tail --url (\\S+) --site (\\S+) --username (\\S+) --password-file (\\S+)");
    private static final Pattern FILES = Pattern.compile("Generated files\\s+(\\S+)");
    private static final Pattern SIGN_IN = Pattern.compile("Sign in\\s+user (\\S+), password in (\\S+) \\(");
    private static final Pattern AGENT_METRICS = Pattern.compile("Agent metrics\\s+(.+?)\\s+\\(and /health\\)");

    @Test
    void demo_printsWorkingAddresses_tailDecodesTraffic_andSigtermCleansUp() throws Exception {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "headroom.jar");
        assertThat(jar).as("packaged launcher (run in the verify phase)").exists();
        // The demo's own defaults (40 miners, 2 agents, 2 s polls) but for the ports, taken free.
        long launched = System.nanoTime();
        Process demo = new ProcessBuilder(
                        javaBinary(), "-jar", jar.toString(), "demo", "--http-port", "0", "--mqtt-port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Map<String, Matcher> printed = readBanner(demo);
            String web = printed.get("web").group(1);
            Matcher tail = printed.get("tail");
            Matcher signIn = printed.get("sign-in");
            String basic = "Basic "
                    + java.util.Base64.getEncoder()
                            .encodeToString((signIn.group(1) + ":"
                                            + Files.readString(Path.of(signIn.group(2)))
                                                    .strip())
                                    .getBytes(StandardCharsets.UTF_8));

            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            // What the demo promises: within 15 s of the command, every miner ONLINE with its readings.
            Duration left = Duration.ofSeconds(15).minusNanos(System.nanoTime() - launched);
            await().atMost(left).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(web + "api/v1/devices"))
                                .header("Authorization", basic)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode devices = json.readTree(response.body());
                List<JsonNode> miners = new java.util.ArrayList<>();
                devices.forEach(device -> {
                    if (device.path("kind").asText().equals("miner")) {
                        miners.add(device);
                    }
                });
                // 40 LuxOS miners and the mixed fleet's four (Antminer stock, Whatsminer, Braiins OS, Avalon).
                assertThat(miners).hasSize(44);
                miners.forEach(device -> {
                    assertThat(device.path("status").asText()).isEqualTo("ONLINE");
                    assertThat(device.path("metrics").fieldNames())
                            .toIterable()
                            .as(device.path("id").asText())
                            .contains("power", "hashrate")
                            // Braiins OS reports its chips per board only.
                            .anyMatch(key -> key.equals("temperature.chip") || key.startsWith("temperature.chip["));
                });
            });
            String[] agentMetrics = printed.get("agent-metrics").group(1).split(" ");
            assertThat(agentMetrics).as("one per agent").hasSize(2);
            for (String url : agentMetrics) {
                HttpResponse<String> scrape = http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("headroom_agent_poll_duration_seconds_count{device=\"miner-");
            }
            HttpResponse<String> page =
                    http.send(HttpRequest.newBuilder(URI.create(web)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("Headroom");

            StringWriter out = new StringWriter();
            int exit = Headroom.commandLine()
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(new StringWriter(), true))
                    .execute(
                            "tail",
                            "--url",
                            tail.group(1),
                            "--site",
                            tail.group(2),
                            "--username",
                            tail.group(3),
                            "--password-file",
                            tail.group(4),
                            "--count",
                            "3");
            assertThat(exit).isZero();
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).hasSize(3);
            for (String line : lines) {
                JsonNode message = json.readTree(line);
                assertThat(message.has("error")).as(line).isFalse();
                assertThat(message.path("topic").asText()).startsWith("headroom/v1/" + tail.group(2) + "/");
                assertThat(message.path("message").isObject()).as(line).isTrue();
            }

            Path generated = Path.of(printed.get("files").group(1));
            assertThat(generated.resolve("credentials")).exists();
            demo.destroy(); // SIGTERM, as Ctrl-C or systemd would
            assertThat(demo.waitFor(20, TimeUnit.SECONDS))
                    .as("demo stops on SIGTERM")
                    .isTrue();
            assertThat(generated).as("generated passwords removed on exit").doesNotExist();
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void badConfig_everyProblemListed_exitCode2() throws Exception {
        Path config = Files.createTempFile("agent", ".yaml");
        Files.writeString(config, "agent-id: rack/1\nsite: demo\nmqtt:\n  urll: tcp://127.0.0.1:1\n");
        StringWriter err = new StringWriter();
        int exit = Headroom.commandLine()
                .setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true))
                .execute("agent", "--config", config.toString());
        Files.delete(config);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains(config + ":1: agent-id: 'rack/1' contains '/'")
                .contains(config + ":4: mqtt.urll: unknown key; did you mean url?")
                .contains(config + ":4: mqtt.password: required");
    }

    private static Map<String, Matcher> readBanner(Process process) throws Exception {
        Map<String, Matcher> found = new ConcurrentHashMap<>();
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (found.size() < 5 && (line = reader.readLine()) != null) {
            match(WEB, line, "web", found);
            match(AGENT_METRICS, line, "agent-metrics", found);
            match(TAIL, line, "tail", found);
            match(FILES, line, "files", found);
            match(SIGN_IN, line, "sign-in", found);
        }
        assertThat(found)
                .as("banner lines printed by the demo")
                .containsKeys("web", "tail", "files", "agent-metrics", "sign-in");
        // Keep draining stdout so the demo never blocks on a full pipe.
        Thread drain = new Thread(() -> reader.lines().forEach(ignored -> {}), "demo-stdout");
        drain.setDaemon(true);
        drain.start();
        return found;
    }

    private static void match(Pattern pattern, String line, String key, Map<String, Matcher> found) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
            found.put(key, matcher);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
