package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The site model the demo writes: the documented example for the default demo, and valid for any size. */
class DemoSiteModelTest {

    private static DemoSite.Options options(int miners, int agents) {
        return new DemoSite.Options(
                "demo", miners, agents, "127.0.0.1", 8080, 1883, 42L, Duration.ofSeconds(2), Path.of("unused"));
    }

    @Test
    void defaultDemo_writesTheDocumentedExample() throws Exception {
        String documented = Files.readString(Path.of("../docs/examples/site.yaml"), StandardCharsets.UTF_8);

        assertThat(DemoSite.siteModel(options(40, 2))).isEqualTo(documented);
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
}
