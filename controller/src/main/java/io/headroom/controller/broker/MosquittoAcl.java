package io.headroom.controller.broker;

import io.headroom.controller.mqtt.Credential;
import io.headroom.controller.mqtt.CredentialStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import java.util.Optional;

/**
 * Writes a Mosquitto {@code acl_file} that gives each principal of Headroom's credentials file what
 * the embedded endpoint's own topic ACL gives it, since on a broker the controller cannot check
 * principals itself:
 *
 * <ul>
 *   <li>an agent publishes only its own {@code birth}, {@code data}, {@code result} and {@code death}
 *       (its Will), and reads only its own {@code cmd} and {@code ack} and the controller state;
 *   <li>the controller reads every agent's topics, the grid signal and the market prices, and
 *       writes commands, acks and the retained controller state (its Will);
 *   <li>an observer reads anything under the site and writes nothing;
 *   <li>a grid principal writes only the grid signal, a price principal only the market topics.
 * </ul>
 *
 * <p>Mosquitto denies whatever no line grants, and a client without a username matches no
 * {@code user} block, so anonymous clients get nothing. Passwords stay the broker's own
 * ({@code mosquitto_passwd}): Headroom's PBKDF2-SHA256 hashes are not a format Mosquitto reads.
 * EMQX and HiveMQ take the same rules in their own ACL formats (docs/external-broker.md).
 */
public final class MosquittoAcl {

    private MosquittoAcl() {}

    /**
     * The acl_file text.
     *
     * @param controllerUser the controller's username on the broker
     * @param sharedGroup the controller's shared subscription group, if it uses one
     * @throws IllegalArgumentException when the controller's username is also in the credentials, or
     *     is not a Mosquitto-safe name
     */
    public static String write(
            String site, CredentialStore credentials, String controllerUser, Optional<String> sharedGroup) {
        Topics.requireValidId(site, "site");
        requireAclName(controllerUser, "the controller's username");
        if (credentials.find(controllerUser).isPresent()) {
            throw new IllegalArgumentException("the controller's username '" + controllerUser
                    + "' is also a principal in the credentials file; give the controller a name of its own");
        }
        String root = Topics.ROOT + '/' + site + '/';
        StringBuilder acl = new StringBuilder()
                .append("# Mosquitto acl_file for Headroom site '")
                .append(site)
                .append("', written by headroom broker-acl from the controller's credentials file.\n")
                .append("# Regenerate it after changing the credentials file, then reload Mosquitto (SIGHUP).\n")
                .append("# Denied unless granted below; clients without a username are granted nothing.\n");

        acl.append("\n# The controller\nuser ").append(controllerUser).append('\n');
        for (TopicKind kind : TopicKind.values()) {
            String filter = Topics.allAgentsFilter(site, kind);
            boolean fromAgent = kind.direction() == TopicKind.Direction.FROM_AGENT;
            topic(acl, fromAgent ? "read" : "write", filter);
            if (fromAgent && sharedGroup.isPresent()) {
                topic(acl, "read", "$share/" + sharedGroup.get() + '/' + filter);
            }
        }
        topic(acl, "readwrite", Topics.controllerState(site).toWire());
        topic(acl, "read", Topics.gridSignal(site).toWire());
        topic(acl, "read", root + "market/+");
        sharedGroup.ifPresent(group -> {
            topic(acl, "read", "$share/" + group + '/' + Topics.gridSignal(site).toWire());
            topic(acl, "read", "$share/" + group + '/' + root + "market/+");
        });

        for (Credential credential : credentials.credentials()) {
            String user = credential.username();
            requireAclName(user, "username");
            acl.append("\n# ").append(credential.role().fileName()).append('\n');
            acl.append("user ").append(user).append('\n');
            switch (credential.role()) {
                case AGENT -> {
                    for (TopicKind kind : TopicKind.values()) {
                        boolean fromAgent = kind.direction() == TopicKind.Direction.FROM_AGENT;
                        topic(
                                acl,
                                fromAgent ? "write" : "read",
                                Topics.agent(site, user, kind).toWire());
                    }
                    topic(acl, "read", Topics.controllerState(site).toWire());
                }
                case OBSERVER -> topic(acl, "read", root + "#");
                case GRID -> topic(acl, "write", Topics.gridSignal(site).toWire());
                case PRICE -> topic(acl, "write", root + "market/+");
            }
        }
        return acl.toString();
    }

    private static void topic(StringBuilder acl, String access, String topic) {
        acl.append("topic ").append(access).append(' ').append(topic).append('\n');
    }

    /** Mosquitto reads {@code user <name>} up to the end of the line: no line breaks, no leading/trailing blanks. */
    private static void requireAclName(String name, String what) {
        if (name.isEmpty() || !name.strip().equals(name) || name.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' cannot be written in an acl_file (empty, control characters or" + " surrounding blanks)");
        }
    }
}
