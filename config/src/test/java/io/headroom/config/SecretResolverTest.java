package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {

    @TempDir
    Path dir;

    private SecretResolver resolver(Map<String, String> env) {
        return SecretResolver.withEnvironment(env::get);
    }

    @Test
    void file_firstLineWithoutItsLineEnding() throws Exception {
        Path crlf = Files.writeString(dir.resolve("crlf"), "s3cr\u00e9t\r\nsecond line\n");
        Path lf = Files.writeString(dir.resolve("lf"), "abc\n");
        Path none = Files.writeString(dir.resolve("none"), " spaced ");

        assertThat(resolver(Map.of()).resolve(new SecretRef.File(crlf))).containsExactly("s3cr\u00e9t".toCharArray());
        assertThat(resolver(Map.of()).resolve(new SecretRef.File(lf))).containsExactly("abc".toCharArray());
        assertThat(resolver(Map.of()).resolve(new SecretRef.File(none))).containsExactly(" spaced ".toCharArray());
    }

    @Test
    void file_emptyOrEmptyFirstLine_isRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "");
        Path blankFirst = Files.writeString(dir.resolve("blank"), "\nsecret\n");

        assertThatThrownBy(() -> resolver(Map.of()).resolve(new SecretRef.File(empty)))
                .isInstanceOf(IOException.class)
                .hasMessage("secret file " + empty + " is empty");
        assertThatThrownBy(() -> resolver(Map.of()).resolve(new SecretRef.File(blankFirst)))
                .isInstanceOf(IOException.class)
                .hasMessage("secret file " + blankFirst + " is empty");
    }

    @Test
    void file_missing_namesIt() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> resolver(Map.of()).resolve(new SecretRef.File(missing)))
                .isInstanceOf(IOException.class)
                .hasMessage("secret file " + missing + " does not exist");
    }

    @Test
    void file_notUtf8_isRefused() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> resolver(Map.of()).resolve(new SecretRef.File(latin1)))
                .isInstanceOf(IOException.class)
                .hasMessage("secret file " + latin1 + " is not UTF-8 text");
    }

    @Test
    void file_withoutLineEndInItsFirst64KiB_isRefused() throws Exception {
        Path huge = Files.writeString(dir.resolve("huge"), "x".repeat(SystemSecretResolver.MAX_BYTES + 10));

        assertThatThrownBy(() -> resolver(Map.of()).resolve(new SecretRef.File(huge)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has no line end in its first 65536 bytes");
    }

    @Test
    void credential_readFromCredentialsDirectory() throws Exception {
        Files.writeString(dir.resolve("mqtt-password"), "from-systemd\n");

        char[] secret = resolver(Map.of("CREDENTIALS_DIRECTORY", dir.toString()))
                .resolve(new SecretRef.Credential("mqtt-password"));

        assertThat(secret).containsExactly("from-systemd".toCharArray());
    }

    @Test
    void credential_withoutCredentialsDirectory_saysHowToStartTheService() {
        assertThatThrownBy(() -> resolver(Map.of()).resolve(new SecretRef.Credential("mqtt-password")))
                .isInstanceOf(IOException.class)
                .hasMessage("systemd credential 'mqtt-password' needs $CREDENTIALS_DIRECTORY (start the service with"
                        + " LoadCredential=mqtt-password:...)");
    }

    @Test
    void credential_missing_namesItAndTheDirectory() {
        assertThatThrownBy(() -> resolver(Map.of("CREDENTIALS_DIRECTORY", dir.toString()))
                        .resolve(new SecretRef.Credential("absent")))
                .isInstanceOf(IOException.class)
                .hasMessage("systemd credential 'absent' (" + dir.resolve("absent") + ") does not exist");
    }

    @Test
    void credential_nameThatLeavesTheDirectory_isRefused() {
        assertThatThrownBy(() -> resolver(Map.of("CREDENTIALS_DIRECTORY", dir.toString()))
                        .resolve(new SecretRef.Credential("../passwd")))
                .isInstanceOf(IOException.class)
                .hasMessage("'../passwd' is not a systemd credential name");
    }

    @Test
    void system_readsFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "real\n");

        assertThat(SecretResolver.system().resolve(new SecretRef.File(file))).containsExactly("real".toCharArray());
    }
}
