package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The market's state as the journal's {@code market} record: read back as written, garbage refused by name. */
class MarketStateJsonTest {
    private static final Instant T = Instant.parse("2026-12-01T10:05:00Z");

    @Test
    void aStateRoundTrips_struckAndMidDwellTargetsAlike() throws Exception {
        MarketState state = new MarketState(
                Optional.of(T),
                Map.of(
                        "model:Antminer S19", new MarketState.Dwell(true, 0, 1, Optional.of(T), "energy 85.0 above"),
                        "class:hashing", new MarketState.Dwell(false, 2, 0, Optional.empty(), "")));
        String written = MarketStateJson.toJson(state).toString();

        MarketState read = MarketStateJson.fromJson(new ObjectMapper().readTree(written));

        assertThat(read).isEqualTo(state);
        assertThat(MarketStateJson.fromJson(MarketStateJson.toJson(MarketState.initial())))
                .isEqualTo(MarketState.initial());
    }

    @Test
    void garbage_isRefusedNamingWhatIsWrong() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> MarketStateJson.fromJson(json.readTree("[]"))).hasMessageContaining("object");
        assertThatThrownBy(() -> MarketStateJson.fromJson(json.readTree("{\"last_interval\": null}")))
                .hasMessageContaining("targets");
        assertThatThrownBy(
                        () -> MarketStateJson.fromJson(json.readTree("{\"last_interval\": \"soon\", \"targets\": []}")))
                .hasMessageContaining("last_interval");
        assertThatThrownBy(() -> MarketStateJson.fromJson(json.readTree("{\"targets\": [{\"key\": \"rack:1\"}]}")))
                .hasMessageContaining("model:<name>");
        assertThatThrownBy(() -> MarketStateJson.fromJson(
                        json.readTree("{\"targets\": [{\"key\": \"model:x\", \"struck\": true}]}")))
                .hasMessageContaining("since");
        assertThatThrownBy(() -> MarketStateJson.fromJson(
                        json.readTree("{\"targets\": [{\"key\": \"model:x\", \"above\": -1}]}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
