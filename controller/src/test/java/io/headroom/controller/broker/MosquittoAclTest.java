package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.controller.mqtt.Credential;
import io.headroom.controller.mqtt.CredentialStore;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.mqtt.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The acl_file text, block by block; {@code BrokerTransportIT} has Mosquitto enforce it. */
class MosquittoAclTest {

    private static final PasswordHash HASH =
            PasswordHash.parse("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo");

    private static final CredentialStore CREDENTIALS = CredentialStore.of(List.of(
            new Credential("rack-a", Role.AGENT, HASH),
            new Credential("grafana", Role.OBSERVER, HASH),
            new Credential("utility", Role.GRID, HASH),
            new Credential("lmp-feed", Role.PRICE, HASH)));

    /** The lines of one user's block. */
    private static List<String> block(String acl, String user) {
        String[] blocks = acl.split("\n\n");
        return Arrays.stream(blocks)
                .filter(b -> b.contains("\nuser " + user + "\n") || b.startsWith("user " + user + "\n"))
                .findFirst()
                .map(b -> Arrays.stream(b.split("\n"))
                        .filter(line -> line.startsWith("topic "))
                        .toList())
                .orElseThrow(() -> new AssertionError("no block for " + user + " in\n" + acl));
    }

    @Test
    void agent_writesOnlyItsOwnTopics_readsOnlyItsCommandsAcksAndTheState() {
        String acl = MosquittoAcl.write("s1", CREDENTIALS, "ctl", Optional.empty());
        assertThat(block(acl, "rack-a"))
                .containsExactlyInAnyOrder(
                        "topic write headroom/v1/s1/rack-a/birth",
                        "topic write headroom/v1/s1/rack-a/data",
                        "topic write headroom/v1/s1/rack-a/result",
                        "topic write headroom/v1/s1/rack-a/death",
                        "topic read headroom/v1/s1/rack-a/cmd",
                        "topic read headroom/v1/s1/rack-a/ack",
                        "topic read headroom/v1/s1/controller/state");
    }

    @Test
    void controller_readsTheSite_writesCommandsAcksAndItsState() {
        String acl = MosquittoAcl.write("s1", CREDENTIALS, "ctl", Optional.empty());
        assertThat(block(acl, "ctl"))
                .containsExactlyInAnyOrder(
                        "topic read headroom/v1/s1/+/birth",
                        "topic read headroom/v1/s1/+/data",
                        "topic read headroom/v1/s1/+/result",
                        "topic read headroom/v1/s1/+/death",
                        "topic write headroom/v1/s1/+/cmd",
                        "topic write headroom/v1/s1/+/ack",
                        "topic readwrite headroom/v1/s1/controller/state",
                        "topic read headroom/v1/s1/grid/signal",
                        "topic read headroom/v1/s1/market/+");
    }

    @Test
    void observerGridAndPrice_onlyWhatTheirRoleAllows() {
        String acl = MosquittoAcl.write("s1", CREDENTIALS, "ctl", Optional.empty());
        assertThat(block(acl, "grafana")).containsExactly("topic read headroom/v1/s1/#");
        assertThat(block(acl, "utility")).containsExactly("topic write headroom/v1/s1/grid/signal");
        assertThat(block(acl, "lmp-feed")).containsExactly("topic write headroom/v1/s1/market/+");
        assertThat(acl).doesNotContain("pbkdf2");
    }

    @Test
    void sharedGroup_grantsTheControllerItsSharedFilters() {
        String acl = MosquittoAcl.write("s1", CREDENTIALS, "ctl", Optional.of("controllers"));
        assertThat(block(acl, "ctl"))
                .contains(
                        "topic read $share/controllers/headroom/v1/s1/+/data",
                        "topic read $share/controllers/headroom/v1/s1/+/birth");
        assertThat(block(acl, "rack-a")).noneMatch(line -> line.contains("$share"));
    }

    @Test
    void everythingBeforeTheFirstUser_isCommentOrBlank_soAnonymousClientsGetNothing() {
        String acl = MosquittoAcl.write("s1", CREDENTIALS, "ctl", Optional.empty());
        String head = acl.substring(0, acl.indexOf("\nuser "));
        assertThat(head.lines()).allMatch(line -> line.isBlank() || line.startsWith("#"));
    }

    @Test
    void controllerNameTakenByAPrincipal_refused() {
        assertThatThrownBy(() -> MosquittoAcl.write("s1", CREDENTIALS, "grafana", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'grafana' is also a principal");
    }

    @Test
    void controllerNameWithALineBreak_refused() {
        assertThatThrownBy(() -> MosquittoAcl.write("s1", CREDENTIALS, "ctl\ntopic readwrite #", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be written in an acl_file");
    }
}
