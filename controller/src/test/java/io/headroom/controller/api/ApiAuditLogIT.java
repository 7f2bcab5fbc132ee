package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every write is on disk before it is answered, and still readable after the API server restarts. */
@Timeout(60)
class ApiAuditLogIT {
    @TempDir
    Path dir;

    @Test
    void writes_audited_andReadBackAfterARestart_evenPastATornLine() throws Exception {
        Path file = dir.resolve("data/audit.jsonl");
        ApiServerConfig config = ApiServerConfig.defaults("127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), file));
        try (ApiFixture api = ApiFixture.start(config.security())) {
            String operator = api.bearer(TestUsers.OPERATOR);
            assertThat(api.post("/api/v1/devices/m1/commands", operator, "{\"verb\":\"sleep\"}")
                            .status())
                    .isEqualTo(202);
            assertThat(api.post(
                                    "/api/v1/devices/m1/commands",
                                    operator,
                                    "{\"verb\":\"set-power-target\",\"value\":1e308}")
                            .status())
                    .isEqualTo(422);
            // Answered means on disk: the file holds both, each intent before its outcome, before the server stops.
            assertThat(Files.readAllLines(file)).hasSize(5);

            // A crash mid-write leaves a torn line; the log goes on after it.
            api.server.close();
            Files.writeString(file, "{\"at\":\"2026-12-01T10:00:00Z\",\"us", StandardOpenOption.APPEND);
            api.restart(config);
            String admin = api.bearer(TestUsers.ADMIN);

            Reply audit = api.get("/api/v1/audit", admin);

            assertThat(audit.status()).isEqualTo(200);
            List<String> lines = new ArrayList<>();
            for (JsonNode entry : audit.json()) {
                lines.add(entry.get("user").asText() + " " + entry.get("role").asText() + " "
                        + entry.get("action").asText() + " "
                        + entry.get("target").asText() + " "
                        + entry.get("status").asInt() + " "
                        + entry.get("source").asText());
            }
            assertThat(lines)
                    .containsExactly(
                            "olga operator sign-in olga 200 127.0.0.1",
                            "olga operator command-intent m1 0 127.0.0.1",
                            "olga operator command m1 202 127.0.0.1",
                            "olga operator command-intent m1 0 127.0.0.1",
                            "olga operator command m1 422 127.0.0.1",
                            "adam admin sign-in adam 200 127.0.0.1");
            assertThat(audit.json().get(1).get("detail").asText()).isEqualTo("sleep ttl=30000ms");
            assertThat(audit.json().get(3).get("detail").asText()).isEqualTo("set-power-target 1.0E308 ttl=30000ms");
            JsonNode refused = audit.json().get(4);
            assertThat(refused.get("detail").asText()).isEqualTo("{\"verb\":\"set-power-target\",\"value\":1e308}");
            assertThat(refused.get("outcome").asText()).contains("is outside 1200..3300 W");
            assertThat(audit.json().get(2).get("outcome").asText())
                    .startsWith("command ")
                    .endsWith(" DISPATCHED");
            assertThat(audit.json().get(0).get("at").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(api.get("/api/v1/audit?limit=1", admin).json()).hasSize(1);
            assertThat(api.get("/api/v1/audit?limit=0", admin).status()).isEqualTo(400);
            assertThat(api.get("/api/v1/audit?limit=x", admin).status()).isEqualTo(400);
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .contains("\"us\n{\"at\"")
                .endsWith("\n");
    }

    @Test
    void auditLogUnwritable_commandRefusedWith503_andNothingPublished_badRequestsStillAnswered() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        ApiServerConfig config = ApiServerConfig.defaults("127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), file));
        try (ApiFixture api = ApiFixture.start(config.security())) {
            String operator = api.bearer(TestUsers.OPERATOR);
            api.publisher.clear();
            // The disk goes away under the open log (as a failed device would): every append now fails.
            api.server.auditLog().close();

            Reply refused = api.post("/api/v1/devices/m1/commands", operator, "{\"verb\":\"sleep\"}");

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("error").asText())
                    .startsWith("the audit log cannot be written, so the command was not sent: ")
                    .contains(file.toString());
            assertThat(api.publisher.commands()).as("nothing went out").isEmpty();
            assertThat(api.publisher.all()).isEmpty();
            assertThat(api.get("/api/v1/commands?device=m1", operator).json())
                    .as("no command was created")
                    .isEmpty();
            assertThat(Files.readAllLines(file)).as("only the sign-in").hasSize(1);
        }
    }
}
