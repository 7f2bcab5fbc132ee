package io.headroom.agent.driver.cgminer;

import io.headroom.config.Doc;

/**
 * A read-back of a control that has no metric: after the command, the Avalon status string's {@code key}
 * must read {@code expect} ({@code Led[1]} after {@code ascset 0,led,1-1}).
 *
 * @param key status key, e.g. {@code Led}
 * @param expect its value once the command took effect, e.g. {@code 1}
 */
public record StatusConfirm(
        @Doc("Avalon status key, e.g. Led.") String key,

        @Doc("Its value once the command took effect, e.g. \"1\".")
        String expect) {

    public StatusConfirm {
        if (key.isBlank() || expect.isBlank()) {
            throw new IllegalArgumentException("key: key and expect must both be given");
        }
    }
}
