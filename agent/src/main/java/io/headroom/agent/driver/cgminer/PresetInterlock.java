package io.headroom.agent.driver.cgminer;

import io.headroom.config.Doc;

/**
 * A device mode that must be off before a preset can be set: LuxOS refuses {@code profileset} while its
 * automatic thermal management (ATM) is on (reference/DEVICES.md §4.5). The driver reads {@code path} in the
 * reply to {@code command}; when its text is {@code engaged} it sends {@code release} first.
 *
 * @param command read command that reports the mode, e.g. {@code atm}
 * @param path JSON path of the flag, e.g. {@code ATM[0].Enabled}
 * @param engaged the text of the flag when the mode is on, e.g. {@code true}
 * @param release what turns the mode off, e.g. {@code atmset} with {@code {session},enabled=false}
 */
public record PresetInterlock(
        @Doc("Read command that reports the interlocking mode, e.g. atm.")
        String command,

        @Doc("JSON path of its flag, e.g. ATM[0].Enabled.") String path,

        @Doc("Text of the flag when the mode is on, e.g. true.")
        String engaged,

        @Doc("What turns the mode off before the preset is set.")
        CgminerControl release) {

    public PresetInterlock {
        JsonPath.requireValid(path, "path");
        if (command.isBlank()) {
            throw new IllegalArgumentException("command: must name a command");
        }
    }
}
