package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What an operator sees when a file or a port the command needs is not there: one line, no stack trace. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartupFailureIT {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = Headroom.commandLine();
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        return command.execute(args);
    }

    @Test
    void agent_missingConfigFile_namesIt() {
        Path missing = dir.resolve("agent.yaml");

        int exit = run("agent", "--config", missing.toString());

        assertThat(exit).isEqualTo(StartupFailure.EXIT_CODE);
        assertThat(err.toString()).isEqualTo("headroom agent: no such file: " + missing + System.lineSeparator());
    }

    @Test
    void controller_missingCredentialsFile_namesIt() throws Exception {
        Path config = controllerConfig(0, "credentials");

        int exit = run("controller", "--config", config.toString());

        assertThat(exit).isEqualTo(StartupFailure.EXIT_CODE);
        assertThat(err.toString())
                .isEqualTo("headroom controller: no such file: " + dir.resolve("credentials") + System.lineSeparator());
    }

    @Test
    void controller_mqttPortTaken_namesTheAddress() throws Exception {
        Files.writeString(dir.resolve("credentials"), "# nobody yet\n", StandardCharsets.UTF_8);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = controllerConfig(taken.getLocalPort(), "credentials");

            int exit = run("controller", "--config", config.toString());

            assertThat(exit).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(err.toString())
                    .startsWith("headroom controller: MQTT endpoint cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": ")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void agent_metricsPortTaken_namesTheAddress() throws Exception {
        Files.writeString(dir.resolve("rack-1.password"), "s3cret\n", StandardCharsets.UTF_8);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("agent.yaml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "agent-id: rack-1",
                            "site: s1",
                            "mqtt:",
                            "  url: tcp://127.0.0.1:1",
                            "  password: {file: rack-1.password}",
                            "metrics:",
                            "  port: " + taken.getLocalPort(),
                            "devices: []",
                            ""),
                    StandardCharsets.UTF_8);

            int exit = run("agent", "--config", config.toString());

            assertThat(exit).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(err.toString())
                    .isEqualTo("headroom agent: agent metrics cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use" + System.lineSeparator());
        }
    }

    @Test
    void demo_httpPortTaken_namesTheAddress_andHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = run(
                    "demo",
                    "--miners",
                    "2",
                    "--agents",
                    "1",
                    "--mqtt-port",
                    "0",
                    "--http-port",
                    Integer.toString(taken.getLocalPort()),
                    "--work-dir",
                    dir.toString());

            assertThat(exit).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(err.toString())
                    .startsWith("headroom demo: cannot start: HTTP API cannot listen on 127.0.0.1:"
                            + taken.getLocalPort() + ": ")
                    .contains("--http-port")
                    .doesNotContain("\tat ");
        }
    }

    private Path controllerConfig(int mqttPort, String credentials) throws Exception {
        Path config = dir.resolve("controller.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "site: s1",
                        "mqtt:",
                        "  port: " + mqttPort,
                        "  credentials-file: " + credentials,
                        "  tls: {mode: off}",
                        "http:",
                        "  port: 0",
                        "  tls:",
                        "    mode: off",
                        "data-dir: data",
                        ""),
                StandardCharsets.UTF_8);
        return config;
    }
}
