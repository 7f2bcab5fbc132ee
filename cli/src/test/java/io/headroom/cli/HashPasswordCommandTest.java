package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ConfigException;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.mqtt.PasswordHash;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@code headroom hash-password} prints is what the controller reads: a credentials line or an http.users entry. */
class HashPasswordCommandTest {

    private static String[] run(String password, String... args) {
        InputStream in = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            int exit = Headroom.commandLine()
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute(args);
            return new String[] {Integer.toString(exit), out.toString(), err.toString()};
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void apiRole_printsAnHttpUsersEntry_thatTheControllerLoadsAndVerifies() throws ConfigException {
        String[] result = run("s3cret-pw", "hash-password", "--username", "olga", "--role", "operator");

        assertThat(result[0]).isEqualTo("0");
        String entry = result[1].stripTrailing();
        assertThat(entry).startsWith("    - {name: olga, role: operator, password-hash: \"pbkdf2-sha256$");
        ControllerConfig config = ControllerConfigLoader.parse(
                "controller.yaml",
                "site: s\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\nhttp:\n  tls:\n    mode: off\n  users:\n"
                        + entry + "\n",
                Path.of("/etc/headroom"));
        ControllerConfig.User user = config.http().users().get(0);
        assertThat(PasswordHash.parse(user.passwordHash()).verify("s3cret-pw".toCharArray()))
                .isTrue();
    }

    @Test
    void mqttRole_stillPrintsACredentialsLine_andAnUnknownRoleIsRefused() {
        String[] agent = run("pw", "hash-password", "--username", "rack-1", "--role", "agent");
        String[] grid = run("pw", "hash-password", "--username", "utility-ems", "--role", "grid");
        String[] bad = run("pw", "hash-password", "--username", "olga", "--role", "root");

        assertThat(agent[1]).startsWith("rack-1 agent pbkdf2-sha256$");
        assertThat(grid[1]).startsWith("utility-ems grid pbkdf2-sha256$");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2]).contains("--role: 'root' is none of agent, observer, grid, price, viewer, operator, admin");
    }
}
