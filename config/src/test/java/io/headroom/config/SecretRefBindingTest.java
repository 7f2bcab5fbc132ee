package io.headroom.config;

import static io.headroom.config.Yaml.bind;
import static io.headroom.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Secrets are written as references, never inline. */
class SecretRefBindingTest {

    record Mqtt(SecretRef password) {}

    @Test
    void file_isResolvedAgainstTheBaseDirectory() throws Exception {
        assertThat(bind(Mqtt.class, "password: {file: secrets/../mqtt.pw}").password())
                .isEqualTo(new SecretRef.File(Path.of("/etc/headroom/mqtt.pw")));
        assertThat(bind(Mqtt.class, "password:", "  file: /run/keys/pw").password())
                .isEqualTo(new SecretRef.File(Path.of("/run/keys/pw")));
    }

    @Test
    void credential_byName() throws Exception {
        assertThat(bind(Mqtt.class, "password: {credential: mqtt.password-1}").password())
                .isEqualTo(new SecretRef.Credential("mqtt.password-1"));
    }

    @Test
    void inlineSecret_isRefused() {
        assertThat(problems(Mqtt.class, "password: hunter2"))
                .containsExactly("agent.yaml:1: password: secrets are never"
                        + " written inline; write {file: /path/to/secret} or {credential: name}");
        assertThat(problems(Mqtt.class, "password: '12345'"))
                .containsExactly("agent.yaml:1: password: secrets are never"
                        + " written inline; write {file: /path/to/secret} or {credential: name}");
    }

    @Test
    void exactlyOneOfFileOrCredential() {
        assertThat(problems(Mqtt.class, "password: {file: a, credential: b}"))
                .containsExactly("agent.yaml:1: password: write one of file: or credential:, not both");
        assertThat(problems(Mqtt.class, "password: {}"))
                .containsExactly("agent.yaml:1: password: write one of file: or credential:");
        assertThat(problems(Mqtt.class, "password: [a]"))
                .containsExactly("agent.yaml:1: password: expected a mapping, found a list");
    }

    @Test
    void misspeltKey_andBadName() {
        assertThat(problems(Mqtt.class, "password:", "  fiel: x"))
                .containsExactly(
                        "agent.yaml:2: password.fiel: unknown key; did you mean file?",
                        "agent.yaml:2: password: write one of file: or credential:");
        assertThat(problems(Mqtt.class, "password: {credential: ../etc/shadow}"))
                .containsExactly(
                        "agent.yaml:1: password.credential: '../etc/shadow' is not a credential name; use 1 to 255 letters,"
                                + " digits, '_', '.' or '-'");
        assertThat(problems(Mqtt.class, "password: {credential: ..}")).hasSize(1);
        assertThat(problems(Mqtt.class, "password: {file: }"))
                .containsExactly("agent.yaml:1: password.file: expected a path, found nothing");
    }
}
