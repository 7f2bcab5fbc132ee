package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketRoutesFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/market} over real HTTP: what the Market holds, to a viewer; nothing without a session. */
@Timeout(120)
class MarketApiIT {
    @TempDir
    Path dir;

    ApiFixture api;
    Market market;

    @BeforeEach
    void start() throws Exception {
        market = MarketRoutesFixture.market();
        api = ApiFixture.start(ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")), market);
        MarketRoutesFixture.decideAndRecord(market, api.clock.instant());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aViewer_seesTheStrikesAndTheLedger_anonymousGets401_andWritesAreRefused() throws Exception {
        String viewer = api.bearer(TestUsers.VIEWER);

        Reply status = api.get("/api/v1/market", viewer);
        assertThat(status.status()).isEqualTo(200);
        JsonNode body = status.json();
        assertThat(body.get("strikes").get(0).get("name").asText()).isEqualTo("Antminer S19");
        assertThat(body.get("strikes").get(0).get("reason").asText()).startsWith("energy 100.0 USD/MWh above");

        Reply summary = api.get("/api/v1/market/summary?hours=2", viewer);
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().get("hours")).hasSize(1);

        assertThat(api.get("/api/v1/market", "").status()).isEqualTo(401);
        assertThat(api.post("/api/v1/market", viewer, "{}").status())
                .as("a viewer may not write")
                .isEqualTo(403);
        String operator = api.bearer(TestUsers.OPERATOR);
        assertThat(api.post("/api/v1/market", operator, "{}").status()).isEqualTo(405);
        assertThat(api.get("/api/v1/market/summary?hours=%00%ff", viewer).status())
                .isEqualTo(400);
    }
}
