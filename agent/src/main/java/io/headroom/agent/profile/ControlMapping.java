package io.headroom.agent.profile;

import io.headroom.protocol.wire.Verb;
import java.util.Objects;

/**
 * What one verb sends to the device and how it is confirmed.
 *
 * @param verb the command verb this mapping implements
 * @param command device command, e.g. {@code curtail}
 * @param parameter its parameter; with a session the session id and a comma come first
 * @param readBack how the result is confirmed
 */
public record ControlMapping(Verb verb, String command, String parameter, ReadBack readBack) {
    public ControlMapping {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(readBack, "read-back");
    }
}
