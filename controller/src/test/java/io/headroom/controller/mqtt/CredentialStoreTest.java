package io.headroom.controller.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(CredentialStoreTest.class.getResource("/mqtt/" + name).toURI());
    }

    @Test
    void load_sampleFile_parsesEveryPrincipal() throws Exception {
        CredentialStore store = CredentialStore.load(resource("credentials-sample.txt"));

        assertThat(store.size()).isEqualTo(3);
        assertThat(store.find("rack-a01")).get().extracting(Credential::role).isEqualTo(Role.AGENT);
        assertThat(store.find("rack-a02")).get().extracting(Credential::role).isEqualTo(Role.AGENT);
        assertThat(store.find("grafana")).get().extracting(Credential::role).isEqualTo(Role.OBSERVER);
        assertThat(store.find("nobody")).isEmpty();
        assertThat(store.find("rack-a01").orElseThrow().hash().verify("agent-secret".toCharArray()))
                .isTrue();
        assertThat(store.find("grafana").orElseThrow().hash().verify("agent-secret".toCharArray()))
                .isFalse();
    }

    @Test
    void load_gridLine_isAGridPrincipal_whoseNameNeedNotBeAnAgentId() throws Exception {
        Path file = dir.resolve("credentials");
        String hash = PasswordHash.create("grid-secret".toCharArray(), PasswordHash.MIN_ITERATIONS)
                .encoded();
        Files.writeString(file, "utility-ems grid " + hash + "\nems@site-1 grid " + hash + "\n");

        CredentialStore store = CredentialStore.load(file);

        assertThat(store.find("utility-ems")).get().extracting(Credential::role).isEqualTo(Role.GRID);
        assertThat(store.find("ems@site-1")).get().extracting(Credential::role).isEqualTo(Role.GRID);
    }

    @Test
    void load_malformedLines_everyOneReportedWithItsLineNumber() throws Exception {
        Path file = resource("credentials-malformed.txt");

        assertThatThrownBy(() -> CredentialStore.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + ":4: expected '<username> <role> <hash>', found 2 field(s)")
                .hasMessageContaining(file + ":5: role 'admin' is none of 'agent', 'observer', 'grid', 'price'")
                .hasMessageContaining(file + ":6: password hash: unknown scheme 'md5'")
                .hasMessageContaining(
                        file + ":7: username: an agent's username is its agent id, which 'rack/a03' contains '/'")
                .hasMessageContaining(file + ":8: duplicate username 'rack-a01' (first on line 3)")
                .hasMessageContaining(file + ":9: password hash: iterations 'many' is not a number")
                .hasMessageContaining(file + ":10: username: 'controller' is reserved")
                .satisfies(e -> assertThat(e.getMessage().lines().count()).isEqualTo(8));
    }

    @Test
    void load_commentsAndBlankLinesOnly_emptyStore() throws Exception {
        Path file = dir.resolve("empty.txt");
        Files.writeString(file, "# nothing yet\n\n   \n");

        assertThat(CredentialStore.load(file).size()).isZero();
    }

    @Test
    void of_duplicateUsername_rejected() {
        Credential one = TestPrincipals.credential("rack-a01", Role.AGENT, "a");
        Credential two = TestPrincipals.credential("rack-a01", Role.OBSERVER, "b");

        assertThatThrownBy(() -> CredentialStore.of(List.of(one, two)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate username 'rack-a01'");
    }

    @Test
    void credential_agentWithInvalidId_rejected() {
        PasswordHash hash = PasswordHash.create("x".toCharArray(), PasswordHash.MIN_ITERATIONS);

        assertThatThrownBy(() -> new Credential("rack a01", Role.AGENT, hash))
                .hasMessageStartingWith("username: an agent's username is its agent id");
    }
}
