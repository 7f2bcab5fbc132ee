package io.headroom.agent.driver.cgminer;

import io.headroom.config.Doc;

/**
 * A firmware whose writes need a session (LuxOS, DEVICES.md §4.5): {@code logon} returns an id at
 * {@code idPath}; the id fills {@code {session}} in a control's parameter and is the parameter of
 * {@code logoff}.
 *
 * @param logon command that opens the session
 * @param logoff command that closes it
 * @param idPath JSON path of the session id in the logon reply
 */
public record SessionSpec(
        @Doc("Command that opens a write session.") String logon,

        @Doc("Command that closes it; its parameter is the session id.")
        String logoff,

        @Doc("JSON path of the session id in the logon reply.")
        String idPath) {
    public SessionSpec {
        JsonPath.requireValid(idPath, "id-path");
    }
}
