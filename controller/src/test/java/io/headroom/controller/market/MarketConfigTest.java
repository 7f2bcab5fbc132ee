package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The market section of controller.yaml through the shared binder. */
class MarketConfigTest {
    static final Path BASE = Path.of("/etc/headroom");
    static final String HEAD =
            "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\nhttp:\n  tls:\n    mode: off\n";
    static final String INPUTS = "market:\n"
            + "  hashprice:\n    source: file\n    file:\n      path: prices/hashprice.csv\n    max-age: 2d\n"
            + "  energy-rt:\n    source: http\n    max-age: 15m\n    http:\n      url: https://prices.example/rt\n"
            + "      value-pointer: /data/0/lmp\n      time-pointer: /data/0/t\n";

    static ControllerConfig parse(String yaml) throws ConfigException {
        return ControllerConfigLoader.parse("controller.yaml", yaml, BASE);
    }

    static List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void absent_meansNoMarket() throws Exception {
        assertThat(parse(HEAD).market()).isEmpty();
    }

    @Test
    void aFullSection_bindsWithDefaults_andRelativePathsResolveAgainstTheFilesDirectory() throws Exception {
        MarketConfig market = parse(HEAD + INPUTS + "  fallback:\n    policy: assume-price\n"
                        + "    assume-usd-per-mwh: 150\n  margin-usd-per-mwh: 5\n  class-strikes: [hashing]\n")
                .market()
                .orElseThrow();

        assertThat(market.hashprice().file().orElseThrow().path())
                .isEqualTo(Path.of("/etc/headroom/prices/hashprice.csv"));
        assertThat(market.hashprice().file().orElseThrow().effectiveFormat()).isEqualTo(MarketConfig.FileFormat.CSV);
        assertThat(market.hashprice().maxAge()).isEqualTo(Duration.ofDays(2));
        MarketConfig.HttpSource http = market.energyRt().http().orElseThrow();
        assertThat(http.url()).isEqualTo(URI.create("https://prices.example/rt"));
        assertThat(http.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.maxBody().bytes()).isEqualTo(64 * 1024);
        assertThat(market.fallback().policy()).isEqualTo(FallbackPolicy.ASSUME_PRICE);
        assertThat(market.fallback().assumeUsdPerMwh()).contains(150.0);
        assertThat(market.strikeOn()).isEqualTo(MarketInput.ENERGY_RT);
        assertThat(market.curtailAfter()).isEqualTo(3);
        assertThat(market.resumeAfter()).isEqualTo(3);
        assertThat(market.hysteresisUsdPerMwh()).isZero();
        assertThat(market.ledgerHours()).isEqualTo(48);
        assertThat(market.rules().classStrikes()).containsExactly("hashing");
        assertThat(market.inputs()).containsOnlyKeys(MarketInput.HASHPRICE, MarketInput.ENERGY_RT);
    }

    @Test
    void theFallbackMustBeStated_andAssumePriceNeedsItsPrice() {
        assertThat(problemsOf(HEAD + INPUTS)).singleElement().asString().contains("market.fallback", "required");
        assertThat(problemsOf(HEAD + INPUTS + "  fallback:\n    policy: assume-price\n"))
                .singleElement()
                .asString()
                .contains("market.fallback.assume-usd-per-mwh", "required with policy: assume-price");
        assertThat(problemsOf(HEAD + INPUTS + "  fallback:\n    policy: mine-anyway\n"))
                .singleElement()
                .asString()
                .contains("market.fallback.policy", "must be one of curtail, assume-price");
    }

    @Test
    void inputsAreChecked_eachProblemAtItsKey() {
        assertThat(problemsOf(HEAD + "market:\n  hashprice:\n    source: file\n    max-age: 1d\n"
                        + "  energy-rt:\n    source: http\n    max-age: 15m\n    http:\n      url: ftp://x/\n"
                        + "      value-pointer: data\n  fallback:\n    policy: curtail\n"))
                .anySatisfy(p -> assertThat(p).contains("market.hashprice.file", "required with source: file"))
                .anySatisfy(p -> assertThat(p).contains("market.energy-rt.http", "not an http or https URL"));
        assertThat(problemsOf(HEAD + "market:\n  hashprice:\n    source: file\n    max-age: 1d\n    file:\n"
                        + "      path: h.txt\n  energy-rt:\n    source: file\n    max-age: 0s\n    file:\n"
                        + "      path: rt.json\n  fallback:\n    policy: curtail\n"))
                .anySatisfy(p -> assertThat(p).contains("market.hashprice.file.format", "neither .csv nor .json"))
                .anySatisfy(p -> assertThat(p).contains("market.energy-rt.max-age", "0s is outside 1s..30d"));
        assertThat(problemsOf(HEAD + INPUTS + "  fallback:\n    policy: curtail\n  strike-on: energy-da\n"))
                .singleElement()
                .asString()
                .contains("market.strike-on", "energy-da needs an energy-da input");
    }
}
