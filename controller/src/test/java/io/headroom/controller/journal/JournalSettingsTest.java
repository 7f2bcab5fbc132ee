package io.headroom.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.config.DataSize;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.journal.JournalSettings.Fsync;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code journal:} section of controller.yaml through the shared binder. */
class JournalSettingsTest {

    private static final Path BASE = Path.of("/etc/headroom");
    private static final String MINIMAL =
            "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\nhttp:\n  tls:\n    mode: off\n";

    private static ControllerConfig parse(String yaml) throws ConfigException {
        return ControllerConfigLoader.parse("controller.yaml", yaml, BASE);
    }

    private static List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void absentSection_defaults_underDataDir() throws Exception {
        ControllerConfig config = parse(MINIMAL + "data-dir: /srv/headroom\n");

        assertThat(config.journal()).isEqualTo(JournalSettings.defaults());
        assertThat(config.journal().fsync()).isEqualTo(Fsync.ALWAYS);
        assertThat(config.journal().maxBytes()).isEqualTo(DataSize.parse("64MiB"));
        assertThat(config.journal().maxRecordSize()).isEqualTo(DataSize.parse("1MiB"));
        assertThat(config.journal().dirUnder(config.dataDir())).isEqualTo(Path.of("/srv/headroom/journal"));
    }

    @Test
    void everyKey_bound_relativeDirAgainstTheFile() throws Exception {
        ControllerConfig config = parse(MINIMAL
                + "journal:\n  dir: state/journal\n  fsync: never\n  max-bytes: 8MiB\n  max-record-size: 64KiB\n");

        assertThat(config.journal())
                .isEqualTo(new JournalSettings(
                        Optional.of(Path.of("/etc/headroom/state/journal")),
                        Fsync.NEVER,
                        DataSize.parse("8MiB"),
                        DataSize.parse("64KiB")));
        assertThat(config.journal().dirUnder(config.dataDir())).isEqualTo(Path.of("/etc/headroom/state/journal"));
    }

    @Test
    void badValues_eachReportedAtItsLine() {
        assertThat(problemsOf(MINIMAL + "journal:\n  fsync: sometimes\n  max-bytes: 1KiB\n  max-record-size: 1GiB\n"))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("controller.yaml:9: journal.fsync:"))
                .anySatisfy(p -> assertThat(p).startsWith("controller.yaml:10: journal.max-bytes:"))
                .anySatisfy(p -> assertThat(p).startsWith("controller.yaml:11: journal.max-record-size:"));
    }

    @Test
    void recordLargerThanTheJournal_refused() {
        assertThat(problemsOf(MINIMAL + "journal:\n  max-bytes: 64KiB\n  max-record-size: 1MiB\n"))
                .singleElement()
                .asString()
                .contains("max-record-size: 1048576 bytes is larger than max-bytes (65536 bytes)");
    }
}
