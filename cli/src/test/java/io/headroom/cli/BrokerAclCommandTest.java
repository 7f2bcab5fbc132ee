package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** headroom broker-acl: the ACL from controller.yaml, and a clear refusal for each wrong input. */
class BrokerAclCommandTest {

    private static final String HASH = "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Headroom.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    private Path yaml(String mqtt) throws Exception {
        Files.writeString(dir.resolve("credentials"), "rack-a agent " + HASH + "\nops observer " + HASH + "\n");
        return Files.writeString(
                dir.resolve("controller.yaml"), "site: s1\nmqtt:\n" + mqtt + "http:\n  tls:\n    mode: off\n");
    }

    private static final String EXTERNAL = """
              mode: external
              credentials-file: credentials
              external:
                url: tcp://127.0.0.1:1883
                username: %s
                password: {file: controller.password}
            """;

    @Test
    void external_printsTheAclOnStandardOutput() throws Exception {
        Path config = yaml(EXTERNAL.formatted("headroom-controller"));
        assertThat(run("broker-acl", "--config", config.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains("user headroom-controller\n", "user rack-a\n", "topic write headroom/v1/s1/rack-a/data\n")
                .contains("user ops\ntopic read headroom/v1/s1/#\n")
                .doesNotContain(HASH);
    }

    @Test
    void output_writesTheFileWhole() throws Exception {
        Path config = yaml(EXTERNAL.formatted("headroom-controller"));
        Path acl = dir.resolve("headroom.acl");
        Files.writeString(acl, "old content that must go\n");
        assertThat(run("broker-acl", "--config", config.toString(), "--output", acl.toString()))
                .as(err.toString())
                .isZero();
        assertThat(Files.readString(acl)).startsWith("# Mosquitto acl_file").doesNotContain("old content");
        assertThat(err.toString()).contains("wrote", "2 principals");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void embeddedMode_refusedWithWhatToSet() throws Exception {
        Path config = yaml("  credentials-file: credentials\n  tls: {mode: off}\n");
        assertThat(run("broker-acl", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("mqtt.mode is embedded", "mqtt.mode: external");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void controllerNamedLikeAPrincipal_refused() throws Exception {
        Path config = yaml(EXTERNAL.formatted("ops"));
        assertThat(run("broker-acl", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'ops' is also a principal");
    }

    @Test
    void brokenConfig_everyProblemListed() throws Exception {
        Path config = yaml(EXTERNAL.formatted("c").replace("url:", "urll:"));
        assertThat(run("broker-acl", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("urll", "did you mean");
    }

    @Test
    void missingCredentialsFile_namedInTheError() throws Exception {
        Path config = yaml(EXTERNAL.formatted("c"));
        Files.delete(dir.resolve("credentials"));
        assertThat(run("broker-acl", "--config", config.toString())).isNotZero();
        assertThat(err.toString()).contains("credentials");
    }
}
