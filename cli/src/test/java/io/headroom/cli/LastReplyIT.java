package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulator.site.SimulatedMiner;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw last reply end to end (D58): a demo site's controller, its agent and a simulated LuxOS miner
 * over real sockets. An operator's POST /api/v1/devices/{id}/last-reply goes to the agent as a
 * read-last-reply command, and GET …?command= returns the miner's own reply text, the same JSON the
 * miner gives anyone who asks; audited. Then the route as a hostile user sees it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LastReplyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MINER = DemoSite.minerId(0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path workDir;

    private static DemoSite demo;
    private static String api;

    @BeforeAll
    static void startSite() throws Exception {
        demo = DemoSite.start(
                new DemoOptions("last-reply", 2, 1, "127.0.0.1", 0, 0, 7L, Duration.ofSeconds(1), workDir));
        api = Addresses.http(demo.controller().httpAddress()) + "api/v1/";
        // Both miners' Births are in before any test asks for them.
        Instant deadline = Instant.now().plus(WAIT);
        for (String id : List.of(MINER, DemoSite.minerId(1))) {
            while (send(get("devices/" + id, DemoSite.VIEWER)).statusCode() != 200) {
                assertThat(Instant.now())
                        .as("device %s known to the controller", id)
                        .isBefore(deadline);
                TimeUnit.MILLISECONDS.sleep(100); // the next look; the loop checks the condition
            }
        }
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(String path, String user, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return user == null ? request : request.header("Authorization", DemoSiteIT.basic(demo, user));
    }

    private static HttpRequest.Builder get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path));
        return user == null ? request : request.header("Authorization", DemoSiteIT.basic(demo, user));
    }

    /** Fetches until the agent has a poll to send (its first one may still be under way), then its answer. */
    private static JsonNode fetchLastReply() throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode answer = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> sent = send(post("devices/" + MINER + "/last-reply", DemoSite.OPERATOR, "{}"));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            JsonNode command = JSON.readTree(sent.body());
            assertThat(command.path("verb").asText()).isEqualTo("read-last-reply");
            String url = "devices/" + MINER + "/last-reply?command="
                    + command.path("commandId").asText();
            do {
                HttpResponse<String> read = send(get(url, DemoSite.OPERATOR));
                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                answer = JSON.readTree(read.body());
                if (!answer.path("lastReply").isNull()) {
                    return answer;
                }
                TimeUnit.MILLISECONDS.sleep(100); // the next look, not a wait for a condition: the loop checks it
            } while (List.of("DISPATCHED", "ACCEPTED")
                            .contains(answer.path("command").path("state").asText())
                    && Instant.now().isBefore(deadline));
        }
        throw new AssertionError("no raw reply within " + WAIT + ": " + answer);
    }

    /** Asks the simulated miner itself, as the agent does: one JSON request per TCP connection. */
    private static JsonNode askMiner(SimulatedMiner miner, String command) throws Exception {
        try (Socket socket = new Socket(miner.address().getAddress(), miner.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("{\"command\":\"" + command + "\"}").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\u0000", "");
            return JSON.readTree(text);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anOperatorGetsTheMinersOwnReplyText_throughAgentAndController_andItIsAudited() throws Exception {
        Instant asked = Instant.now();
        JsonNode answer = fetchLastReply();

        assertThat(answer.path("command").path("state").asText()).isEqualTo("APPLIED");
        assertThat(answer.path("explanation").asText()).isEmpty();
        JsonNode raw = answer.path("lastReply");
        assertThat(raw.path("reply").isTextual()).isTrue();
        assertThat(raw.path("truncated").asBoolean()).isFalse();
        assertThat(Instant.parse(raw.path("readAt").asText())).isAfter(asked.minusSeconds(10));
        List<String> commands = List.of(raw.path("request").asText().split("\n"));
        assertThat(commands).contains("summary");
        // The summary section is the miner's JSON: the same members, the same status line, as asking it directly.
        String text = raw.path("reply").asText();
        String section = text.split("### summary\n", 2)[1].split("\n\n", 2)[0];
        JsonNode viaAgent = JSON.readTree(section.replace("\u0000", ""));
        JsonNode direct = askMiner(demo.simulator().miner(0), "summary");
        assertThat(names(viaAgent)).isEqualTo(names(direct));
        assertThat(names(viaAgent.path("SUMMARY").get(0)))
                .isEqualTo(names(direct.path("SUMMARY").get(0)));
        assertThat(viaAgent.path("STATUS").get(0).path("Msg").asText())
                .isEqualTo(direct.path("STATUS").get(0).path("Msg").asText());

        HttpResponse<String> audit = send(get("audit", DemoSite.OPERATOR));
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body()).contains("read-last-reply ttl=10000ms").contains(MINER);
    }

    @Test
    void asAHostileUser_theRouteRefusesInWords() throws Exception {
        String path = "devices/" + MINER + "/last-reply";
        assertThat(send(post(path, null, "{}")).statusCode()).isEqualTo(401);
        assertThat(send(get(path + "?command=x", null)).statusCode()).isEqualTo(401);

        HttpResponse<String> viewerPost = send(post(path, DemoSite.VIEWER, "{}"));
        assertThat(viewerPost.statusCode()).isEqualTo(403);
        assertThat(viewerPost.body()).contains("needs operator");
        assertThat(send(get(path + "?command=x", DemoSite.VIEWER)).statusCode())
                .as("the reply carries pool URLs and worker names: reading it needs operator too")
                .isEqualTo(403);

        HttpResponse<String> unknown = send(post("devices/no-such-miner/last-reply", DemoSite.OPERATOR, "{}"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no-such-miner");

        HttpResponse<String> garbage = send(post(path, DemoSite.OPERATOR, "{\"verb\":\"sleep\"}"));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("takes no fields");

        HttpResponse<String> text = send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Content-Type", "text/plain")
                .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(text.statusCode()).isEqualTo(415);

        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Content-Type", "application/json")
                .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET, POST");

        HttpResponse<String> noCommand = send(get(path, DemoSite.OPERATOR));
        assertThat(noCommand.statusCode()).isEqualTo(400);
        assertThat(noCommand.body()).contains("'command' is required");

        HttpResponse<String> otherCommand = send(get(path + "?command=not-a-command", DemoSite.OPERATOR));
        assertThat(otherCommand.statusCode()).isEqualTo(404);

        // A command of another device is not this device's reply.
        HttpResponse<String> sent = send(post(path, DemoSite.OPERATOR, "{}"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        String id = JSON.readTree(sent.body()).path("commandId").asText();
        HttpResponse<String> elsewhere =
                send(get("devices/" + DemoSite.minerId(1) + "/last-reply?command=" + id, DemoSite.OPERATOR));
        assertThat(elsewhere.statusCode()).isEqualTo(404);
    }
}
