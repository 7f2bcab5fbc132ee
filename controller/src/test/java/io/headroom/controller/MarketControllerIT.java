package io.headroom.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.market.MarketDecision;
import io.headroom.controller.market.ModelEconomics;
import io.headroom.controller.market.SyntheticPrices;
import io.headroom.controller.mqtt.PasswordHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The market section wired in the controller: files read at start-up, relative to controller.yaml; a bad row refuses the start. */
@Timeout(60)
class MarketControllerIT {
    static final Instant NOW = Instant.parse("2026-11-03T18:02:00Z");

    @TempDir
    Path dir;

    ControllerConfig config(String energyFile) throws Exception {
        Files.writeString(
                dir.resolve("credentials"),
                "rack-1 agent "
                        + PasswordHash.create("pw-for-tests".toCharArray()).encoded() + "\n");
        Files.createDirectories(dir.resolve("prices"));
        Files.copy(Path.of("../docs/examples/market/hashprice.csv"), dir.resolve("prices/hashprice.csv"));
        String yaml = "site: demo\ndata-dir: " + dir
                + "\nmqtt:\n  port: 0\n  credentials-file: credentials\n  tls: {mode: off}\n"
                + "http:\n  port: 0\n  tls:\n    mode: off\n"
                + "market:\n  hashprice:\n    source: file\n    max-age: 2d\n    file:\n      path: prices/hashprice.csv\n"
                + "  energy-rt:\n    source: file\n    max-age: 15m\n    file:\n      path: " + energyFile + "\n"
                + "  fallback:\n    policy: curtail\n";
        Path file = dir.resolve("controller.yaml");
        Files.writeString(file, yaml);
        return ControllerConfigLoader.load(file);
    }

    @Test
    void theShippedSample_isReadAtStartUp_andTheMarketDecides() throws Exception {
        Files.createDirectories(dir.resolve("prices"));
        Files.copy(Path.of("../docs/examples/market/energy-rt.csv"), dir.resolve("prices/energy-rt.csv"));
        try (Controller controller =
                Controller.start(config("prices/energy-rt.csv"), Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(controller.market()).isPresent();
            MarketDecision decision = controller
                    .market()
                    .get()
                    .decide(NOW, List.of(ModelEconomics.ofProfile("Antminer S19", "hashing", 34.5)));
            assertThat(decision.policy()).isEqualTo("prices");
            assertThat(decision.inputs())
                    .allSatisfy(input -> assertThat(input.stale()).isFalse());
            double hashprice =
                    SyntheticPrices.sampleHashprice().at(NOW).orElseThrow().value();
            assertThat(decision.models())
                    .singleElement()
                    .satisfies(be -> assertThat(be.hashpriceUsdPerPhDay()).isEqualTo(hashprice));
            assertThat(decision.strikePrice())
                    .contains(
                            SyntheticPrices.sampleEnergy().at(NOW).orElseThrow().value());
        }
    }

    @Test
    void aBadRow_refusesTheStart_namingTheFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("prices"));
        Files.writeString(
                dir.resolve("prices/bad.csv"), "time,value\n2026-11-03T18:00:00Z,41\n2026-11-03T18:05:00Z,\n");
        ControllerConfig config = config("prices/bad.csv");
        assertThatThrownBy(() -> Controller.start(config, Clock.fixed(NOW, ZoneOffset.UTC)))
                .isInstanceOf(IOException.class)
                .hasMessage("market.energy-rt: " + dir.resolve("prices/bad.csv") + ":3: value '' is not a number");
    }
}
