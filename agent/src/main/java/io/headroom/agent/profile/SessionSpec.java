package io.headroom.agent.profile;

import java.util.Objects;

/**
 * A firmware whose writes need a session (LuxOS, DEVICES.md §4.5): {@code logon} returns an id at
 * {@code idPath}; the id is the first parameter of every write and of {@code logoff}.
 *
 * @param logon command that opens the session
 * @param logoff command that closes it
 * @param idPath JSON path of the session id in the logon reply
 */
public record SessionSpec(String logon, String logoff, String idPath) {
    public SessionSpec {
        Objects.requireNonNull(logon, "logon");
        Objects.requireNonNull(logoff, "logoff");
        JsonPath.requireValid(idPath, "id-path");
    }
}
