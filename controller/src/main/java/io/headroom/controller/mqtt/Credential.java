package io.headroom.controller.mqtt;

import io.headroom.protocol.Topics;
import java.util.Objects;

/**
 * One principal allowed to connect. An agent's username is its agent id, so it must be a valid
 * {@link Topics#isValidId id} other than the reserved {@code controller}.
 */
public record Credential(String username, Role role, PasswordHash hash) {

    public Credential {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hash, "hash");
        String problem = usernameProblem(username, role);
        if (problem != null) {
            throw new IllegalArgumentException("username: " + problem);
        }
    }

    /** Describes what is wrong with a username for a role, or returns {@code null} when it is fine. */
    static String usernameProblem(String username, Role role) {
        if (username == null || username.isEmpty()) {
            return "must not be empty";
        }
        if (role == Role.AGENT) {
            String idProblem = Topics.idProblem(username);
            if (idProblem != null) {
                return "an agent's username is its agent id, which " + idProblem;
            }
            if ("controller".equals(username)) {
                return "'controller' is reserved and cannot be an agent id";
            }
            return null;
        }
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '#') {
                return "'" + username + "' contains whitespace, a control character or '#'";
            }
        }
        return username.length() > 256 ? "must be at most 256 characters" : null;
    }
}
