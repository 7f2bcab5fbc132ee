package io.headroom.controller.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SiteLoaderTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("..")
            .normalize();

    static final String SMALL = """
            site: s1
            limit-kw: 100
            feeds:
              - id: feed-a
                meter: {agent: a1, device: meter-a}
                pdus:
                  - id: pdu-1
                    breaker: {amps: 30, volts: 208, phases: 1}
                    meter: {agent: a1, device: pdu-dev-1}
                    racks:
                      - id: rack-1
                        limit-kw: 4
                        devices:
                          - {id: m1, agent: a1, class: hashing, outlet: "1"}
                          - {id: m2, agent: a1, class: hashing, nameplate-w: 3500}
                  - id: pdu-2
                    breaker: {amps: 125, volts: 415, phases: 3, derate-percent: 100}
                    circuits:
                      - id: c-1
                        breaker: {amps: 20, volts: 230}
                        racks:
                          - id: rack-2
                            devices:
                              - {id: gpu1, agent: a2, class: ai-contract, never-touch: true}
            zones:
              - id: z1
                heat-rejection-kw: 50
                inlet-limit-c: 35
                racks: [rack-1, rack-2]
            """;

    @Test
    void small_site_buildsTheTreeInPreOrder() throws Exception {
        SiteModel model = SiteLoader.parse("site.yaml", SMALL);

        assertThat(model.size()).isEqualTo(10);
        assertThat(model.id(0)).isEqualTo("s1");
        assertThat(model.kind(0)).isEqualTo(SiteNodeKind.SITE);
        int rack1 = model.indexOf(SiteNodeKind.RACK, "rack-1");
        int m1 = model.indexOf(SiteNodeKind.DEVICE, "m1");
        int gpu = model.indexOf(SiteNodeKind.DEVICE, "gpu1");
        assertThat(model.parent(m1)).isEqualTo(rack1);
        assertThat(model.kind(model.parent(model.parent(gpu)))).isEqualTo(SiteNodeKind.CIRCUIT);
        assertThat(model.limitKw(rack1)).isEqualTo(4.0);
        assertThat(model.limitKw(m1)).isNaN();
        assertThat(model.limitKw(model.indexOf(SiteNodeKind.FEED, "feed-a"))).isNaN();
        assertThat(model.meterOf(model.indexOf(SiteNodeKind.PDU, "pdu-1"))).isEqualTo("pdu-dev-1");
        assertThat(model.outletKey(m1)).isEqualTo("power[1]");
        assertThat(model.outletKey(model.indexOf(SiteNodeKind.DEVICE, "m2"))).isNull();
        assertThat(model.device(gpu).neverTouch()).isTrue();
        assertThat(model.classes()).containsOnlyKeys("ai-contract", "ai-flex", "hashing", "auxiliary");
        assertThat(model.classes().get("ai-flex").curtailing()).isEqualTo(Curtail.CAP);
        assertThat(model.classes().get("auxiliary").curtailing()).isEqualTo(Curtail.NEVER);
        assertThat(model.classes().get("ai-contract").interruptible()).isFalse();
        assertThat(model.zones()).hasSize(1);
        assertThat(model.zoneRacks(0)).containsExactly(rack1, model.indexOf(SiteNodeKind.RACK, "rack-2"));
    }

    @Test
    void breakerLimit_singlePhase_threePhase_andDerate() throws Exception {
        SiteModel model = SiteLoader.parse("site.yaml", SMALL);

        // 30 A × 208 V × 80 % = 4.992 kW
        assertThat(model.limitKw(model.indexOf(SiteNodeKind.PDU, "pdu-1"))).isCloseTo(4.992, within(1e-9));
        // 125 A × 415 V × √3 × 100 % = 89.850 kW
        assertThat(model.limitKw(model.indexOf(SiteNodeKind.PDU, "pdu-2")))
                .isCloseTo(125 * 415 * Math.sqrt(3) / 1000, within(1e-9))
                .isCloseTo(89.850, within(1e-3));
        // 20 A × 230 V × 80 % = 3.68 kW
        assertThat(model.limitKw(model.indexOf(SiteNodeKind.CIRCUIT, "c-1"))).isCloseTo(3.68, within(1e-9));
        // 125 A × 415 V × √3 × 80 % = 71.880 kW, the demo's rack PDU
        assertThat(new Breaker(125, 415, 3, 80).limitKw()).isCloseTo(71.880, within(1e-3));
    }

    @Test
    void manyProblems_allListed_withLines() {
        String yaml = """
                site: s1
                limit-kw: 0
                classes:
                  "bad class": {}
                feeds:
                  - id: feed-a
                    meter: {agent: a1, device: m1}
                    pdus:
                      - id: feed-a
                        breaker: {amps: 30, volts: 208, phases: 2}
                        racks:
                          - id: rack-1
                            devices:
                              - {id: m1, agent: a1, class: hashing}
                              - {id: m2, agent: a2, class: hasing}
                              - {id: m3, agent: a1, class: hashing, outlet: "3"}
                      - id: pdu-2
                        breaker: {amps: 30, volts: 208}
                        racks:
                          - id: rack-2
                            devices:
                              - {id: m1, agent: a1, class: hashing}
                              - {id: m4, agent: a9, class: hashing}
                  - id: feed-b
                    meter: {agent: a7, device: m4}
                zones:
                  - id: z1
                    heat-rejection-kw: 50
                    inlet-limit-c: 35
                    racks: [rack-1, rack-9]
                  - id: z2
                    heat-rejection-kw: 50
                    inlet-limit-c: 35
                    racks: [rack-1]
                """;

        assertThatThrownBy(() -> SiteLoader.parse("site.yaml", yaml))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems().stream().map(ConfigProblem::toString))
                                .containsExactly(
                                        "site.yaml:2: limit-kw: 0 is below the minimum 0.001",
                                        "site.yaml:4: classes.bad class: class name 'bad class' contains ' ';"
                                                + " allowed are letters, digits, '.', '_' and '-'",
                                        "site.yaml:9: feeds[0].pdus[0].id: duplicate id 'feed-a'; already used at line 6",
                                        "site.yaml:10: feeds[0].pdus[0].breaker.phases: must be 1 or 3, was 2",
                                        "site.yaml:15: feeds[0].pdus[0].racks[0].devices[1].class: unknown class 'hasing';"
                                                + " known: ai-contract, ai-flex, hashing, auxiliary, bad class",
                                        "site.yaml:16: feeds[0].pdus[0].racks[0].devices[2].outlet: no PDU or circuit meter"
                                                + " above rack 'rack-1' to read outlet '3' from; add a meter to its PDU or"
                                                + " circuit",
                                        "site.yaml:22: feeds[0].pdus[1].racks[0].devices[0].id: device 'm1' is already in"
                                                + " rack 'rack-1' (line 14)",
                                        "site.yaml:25: feeds[1].meter.agent: device 'm4' is given agent 'a9' at line 23;"
                                                + " one device id has one agent",
                                        "site.yaml:30: zones[0].racks[1]: unknown rack 'rack-9'",
                                        "site.yaml:34: zones[1].racks[0]: rack 'rack-1' is already in a zone (line 30)"));
    }

    @Test
    void classes_declared_andAiContractStaysMustRun() throws Exception {
        SiteModel model = SiteLoader.parse("site.yaml", """
                site: s
                limit-kw: 10
                classes:
                  batch-ai: {interruptible: true, description: training that can pause}
                  ai-contract: {interruptible: false, description: inference under contract}
                """);
        assertThat(model.classes()).containsOnlyKeys("ai-contract", "ai-flex", "hashing", "auxiliary", "batch-ai");
        assertThat(model.classes().get("batch-ai").interruptible()).isTrue();
        assertThat(model.classes().get("ai-contract").description()).hasValue("inference under contract");
        SiteModel flex = SiteLoader.parse("site.yaml", """
                site: s
                limit-kw: 10
                classes:
                  ai-flex: {floor-percent: 70}
                  aux-2: {curtail: never, interruptible: false}
                """);
        assertThat(flex.classes().get("ai-flex").curtailing())
                .as("a redeclared built-in class keeps what it leaves out")
                .isEqualTo(Curtail.CAP);
        assertThat(flex.classes().get("ai-flex").floorPercent()).isEqualTo(70);
        assertThat(flex.classes().get("aux-2").curtailing()).isEqualTo(Curtail.NEVER);
        assertThatThrownBy(() -> SiteLoader.parse("site.yaml", """
                        site: s
                        limit-kw: 10
                        classes:
                          ai-flex: {curtail: sometimes, floor-percent: 170}
                        """))
                .hasMessageContaining("classes.ai-flex.curtail: must be one of any, cap, never")
                .hasMessageContaining("classes.ai-flex.floor-percent: 170 is outside 0..100");

        assertThatThrownBy(() -> SiteLoader.parse("site.yaml", """
                        site: s
                        limit-kw: 10
                        classes:
                          ai-contract: {description: oops}
                        """))
                .hasMessage("site.yaml:4: classes.ai-contract: ai-contract is the must-run class: redeclare it only"
                        + " with interruptible: false");
    }

    @Test
    void demoExample_loads_andTheJarCopyIsTheSame() throws Exception {
        Path example = ROOT.resolve("docs/examples/site.yaml");
        SiteModel model = SiteLoader.load(example);

        assertThat(model.id(0)).isEqualTo("demo");
        assertThat(model.limitKw(0)).isEqualTo(300.0);
        long devices = java.util.stream.IntStream.range(0, model.size())
                .filter(i -> model.kind(i) == SiteNodeKind.DEVICE)
                .count();
        assertThat(devices)
                .as("40 LuxOS miners, the mixed fleet's 4 and 4 GPU servers")
                .isEqualTo(48);
        assertThat(model.device(model.indexOf(SiteNodeKind.DEVICE, "bos-01")).priorityClass())
                .isEqualTo("hashing");
        assertThat(model.device(model.indexOf(SiteNodeKind.DEVICE, "gpu-01")).priorityClass())
                .isEqualTo("ai-contract");
        assertThat(model.device(model.indexOf(SiteNodeKind.DEVICE, "miner-021")).agent())
                .isEqualTo("rack-2");
        assertThat(model.limitKw(model.indexOf(SiteNodeKind.PDU, "pdu-1"))).isCloseTo(71.880, within(1e-3));
        assertThat(model.zones()).extracting(CoolingZone::id).containsExactly("hall-1");
        try (InputStream in = SiteModel.class.getResourceAsStream("demo-site.yaml")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(example, StandardCharsets.UTF_8));
        }
    }

    @Test
    void derateCurve_interpolates_andIsFlatBeyondItsEnds() throws Exception {
        CoolingZone zone = new CoolingZone(
                "z",
                100,
                35,
                java.util.List.of(new DeratePoint(25, 100), new DeratePoint(35, 60), new DeratePoint(40, 0)),
                java.util.List.of());

        assertThat(zone.derateFactor(20)).isEqualTo(1.0);
        assertThat(zone.derateFactor(30)).isCloseTo(0.8, within(1e-9));
        assertThat(zone.derateFactor(37.5)).isCloseTo(0.3, within(1e-9));
        assertThat(zone.derateFactor(45)).isEqualTo(0.0);
        assertThatThrownBy(() -> SiteLoader.parse("site.yaml", """
                        site: s
                        limit-kw: 1
                        zones:
                          - id: z
                            heat-rejection-kw: 5
                            inlet-limit-c: 30
                            derate: [{inlet-c: 30, percent: 50}, {inlet-c: 25, percent: 100}]
                        """))
                .hasMessage("site.yaml:7: zones[0].derate: points must be in rising inlet-c order");
    }
}
