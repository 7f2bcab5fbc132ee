package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The site model the demo writes: the documented example for the default demo, and valid for any size. */
class DemoSiteModelTest {

    private static DemoOptions options(int miners, int agents) {
        return new DemoOptions(
                "demo", miners, agents, "127.0.0.1", 8080, 1883, 42L, Duration.ofSeconds(2), Path.of("unused"));
    }

    @Test
    void defaultDemo_writesTheDocumentedExample() throws Exception {
        // headroom demo's defaults: 40 miners, 2 agents, 4 GPU servers, the mixed fleet.
        String written = DemoSite.siteModel(options(40, 2).withGpuServers(4).withMixedFleet(true));
        Path example = Path.of("../docs/examples/site.yaml");
        if (Boolean.getBoolean("headroom.writeExamples")) {
            Files.writeString(example, written, StandardCharsets.UTF_8);
        }
        String documented = Files.readString(example, StandardCharsets.UTF_8);

        assertThat(written)
                .as("docs/examples/site.yaml (rewrite it with -Dheadroom.writeExamples=true)")
                .isEqualTo(documented);
    }

    @ParameterizedTest
    @CsvSource({"40, 2, 2, 1", "7, 3, 3, 2", "60, 1, 3, 2", "1, 1, 1, 1"})
    void anyDemoSize_writesAModelThatLoads(int miners, int agents, int racks, int feeds) throws Exception {
        SiteModel model = SiteLoader.parse("site.yaml", DemoSite.siteModel(options(miners, agents)));

        String yaml = DemoSite.siteModel(options(miners, agents));
        assertThat(yaml.split("\n  - id: feed-", -1)).hasSize(feeds + 1);
        assertThat(yaml.split("\n          - id: rack-", -1)).hasSize(racks + 1);
        assertThat(yaml.split("class: hashing", -1)).hasSize(miners + 1);
        assertThat(model.size()).isPositive();
    }

    @Test
    void gpuServers_areAiContractInARackAndFeedOfTheirOwn_onTheLastAgent() throws Exception {
        SiteModel model =
                SiteLoader.parse("site.yaml", DemoSite.siteModel(options(7, 3).withGpuServers(3)));
        String yaml = DemoSite.siteModel(options(7, 3).withGpuServers(3));

        assertThat(yaml.split("class: ai-contract", -1)).hasSize(3 + 1);
        assertThat(yaml).contains("{id: gpu-03, agent: rack-3, class: ai-contract, outlet: \"3\"}");
        int rack = model.indexOf(SiteNodeKind.RACK, DemoGpuRack.AI_RACK);
        int feed = model.indexOf(SiteNodeKind.FEED, DemoGpuRack.AI_FEED);
        assertThat(rack).isPositive();
        assertThat(feed).isPositive();
        assertThat(model.meterOf(feed)).isEqualTo(DemoSite.meterId(DemoGpuRack.AI_FEED));
        assertThat(model.indexOf(SiteNodeKind.DEVICE, "gpu-01")).isPositive();
        assertThat(model.indexOf(SiteNodeKind.DEVICE, "gpu-01-gpus"))
                .as("the dcgm device is not placed: its GPUs are inside gpu-01's draw")
                .isNegative();
    }

    @Test
    void mixedFleet_isHashingInARackOfItsOwn_onTheLastAgent_withAMeteredFeed() throws Exception {
        String yaml = DemoSite.siteModel(options(7, 3).withMixedFleet(true));
        SiteModel model = SiteLoader.parse("site.yaml", yaml);

        int rack = model.indexOf(SiteNodeKind.RACK, DemoMixedRack.RACK);
        assertThat(rack).isPositive();
        for (DemoMixedRack.Family family : DemoMixedRack.Family.values()) {
            assertThat(yaml)
                    .contains("{id: " + family.id + ", agent: rack-3, class: hashing, outlet: \"" + family.outlet()
                            + "\"}");
            int device = model.indexOf(SiteNodeKind.DEVICE, family.id);
            assertThat(device).as(family.id).isPositive();
            assertThat(model.parent(device)).isEqualTo(rack);
        }
        assertThat(yaml.split("class: hashing", -1)).hasSize(7 + 4 + 1);
    }

    @Test
    void limitFactor_scalesEveryLimit_andTheModelStillLoads() throws Exception {
        DemoOptions tight = new DemoOptions(
                "demo", 4, 2, "127.0.0.1", 8080, 1883, 42L, Duration.ofSeconds(2), Path.of("unused"), 0.07);

        SiteModel model = SiteLoader.parse("site.yaml", DemoSite.siteModel(tight));
        SiteModel full = SiteLoader.parse("site.yaml", DemoSite.siteModel(options(4, 2)));

        for (String[] node :
                new String[][] {{"SITE", "demo"}, {"FEED", "feed-1"}, {"PDU", "pdu-1"}, {"PDU", "pdu-2"}}) {
            SiteNodeKind kind = SiteNodeKind.valueOf(node[0]);
            assertThat(model.limitKw(model.indexOf(kind, node[1])))
                    .as("%s %s", node[0], node[1])
                    .isCloseTo(0.07 * full.limitKw(full.indexOf(kind, node[1])), Offset.offset(0.01));
        }
        assertThat(model.zones().get(0).heatRejectionKw()).isCloseTo(0.07 * 140, Offset.offset(0.001));
    }
}
