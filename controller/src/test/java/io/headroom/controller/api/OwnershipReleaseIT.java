package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/devices/{id}/release}: only an admin may move a device in conflict, only away
 * from an owner that is gone, with the same write guard as every write, audited before it acts.
 */
@Timeout(60)
class OwnershipReleaseIT {
    private static final String RELEASE = "/api/v1/devices/m1/release";

    @TempDir
    Path dir;

    @Test
    void onlyAnAdmin_onlyFromAGoneOwner_theClaimantIsAskedAndEveryAttemptAudited() throws Exception {
        ApiServerConfig config = ApiServerConfig.defaults(
                "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")));
        try (ApiFixture api = ApiFixture.start(config.security())) {
            // rack-2 reports the id rack-1 owns: a conflict.
            api.ingest.agentConnected("rack-2");
            api.ingest.agentMessage(
                    Topics.agent(ApiFixture.SITE, "rack-2", TopicKind.BIRTH),
                    ByteBuffer.wrap(WireCodec.encode(
                            birth("rack-2", 5, 1, 1).addDevices(miner("m1", 10)).build())));
            String admin = api.bearer(TestUsers.ADMIN);
            String operator = api.bearer(TestUsers.OPERATOR);
            String viewer = api.bearer(TestUsers.VIEWER);
            assertThat(api.get("/api/v1/devices/m1", viewer)
                            .json()
                            .get("conflict")
                            .toString())
                    .isEqualTo("[\"rack-1\",\"rack-2\"]");

            assertThat(api.post(RELEASE, viewer, "{}").status()).isEqualTo(403);
            assertThat(api.post(RELEASE, operator, "{}").status()).isEqualTo(403);
            assertThat(api.send("GET", RELEASE, "Host: 127.0.0.1:" + api.port() + "\r\n" + admin, "")
                            .status())
                    .isEqualTo(405);
            assertThat(api.send(
                                    "POST",
                                    RELEASE,
                                    "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: text/plain\r\n" + admin,
                                    "{}")
                            .status())
                    .isEqualTo(415);
            Reply fields = api.post(RELEASE, admin, "{\"to\":\"rack-2\"}");
            assertThat(fields.status()).isEqualTo(400);
            assertThat(fields.json().get("error").asText()).startsWith("a release takes no fields");

            // The owner is connected: it keeps the device.
            Reply live = api.post(RELEASE, admin, "{}");
            assertThat(live.status()).isEqualTo(409);
            assertThat(live.json().get("reason").asText()).isEqualTo("owner-connected");
            assertThat(api.get("/api/v1/devices/m1", viewer).json().get("agent").asText())
                    .isEqualTo("rack-1");

            // The owner is gone: released, and rack-2 asked for a fresh Birth.
            api.clock.advance(java.time.Duration.ofSeconds(3)); // past the rebirth debounce of rack-2's birth
            api.ingest.agentDisconnected("rack-1", false);
            api.publisher.clear();
            Reply released = api.post(RELEASE, admin, "");
            assertThat(released.status()).isEqualTo(200);
            assertThat(released.json().get("releasedFrom").asText()).isEqualTo("rack-1");
            assertThat(released.json().get("claimants").toString()).isEqualTo("[\"rack-2\"]");
            assertThat(released.json().get("message").asText())
                    .isEqualTo("device m1 no longer belongs to rack-1; rack-2 was asked for a fresh Birth, and the"
                            + " first to send one owns it");
            Ack asked = api.publisher.lastAck(Topics.agent(ApiFixture.SITE, "rack-2", TopicKind.ACK));
            assertThat(asked.getRebirth()).isTrue();
            assertThat(asked.getRebirthReason()).isEqualTo("device-released");
            assertThat(api.get("/api/v1/devices/m1", viewer).status()).isEqualTo(404);
            assertThat(api.post(RELEASE, admin, "{}").status()).isEqualTo(404);

            List<String> entries = new ArrayList<>();
            for (JsonNode entry : api.get("/api/v1/audit", admin).json()) {
                if (entry.get("action").asText().startsWith("ownership-release")) {
                    entries.add(entry.get("user").asText() + " "
                            + entry.get("action").asText() + " "
                            + entry.get("status").asInt() + " "
                            + entry.get("outcome").asText());
                }
            }
            assertThat(entries)
                    .containsExactly(
                            "adam ownership-release 400 refused: fields in the body",
                            "adam ownership-release-intent 0 about to release",
                            "adam ownership-release 409 owner rack-1 connected",
                            "adam ownership-release-intent 0 about to release",
                            "adam ownership-release 200 released from rack-1 to rack-2",
                            "adam ownership-release-intent 0 about to release",
                            "adam ownership-release 404 no such device");
        }
    }
}
