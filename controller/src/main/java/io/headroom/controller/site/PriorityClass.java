package io.headroom.controller.site;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Optional;

/**
 * A device priority class. {@code ai-contract} (must run) and {@code hashing} (interruptible) always
 * exist; a site may declare more, or redeclare these two with a description.
 *
 * @param interruptible whether the control engine may curtail it for a soft limit or a grid event;
 *     a class that is not is shed only when a hard limit (breaker, thermal) leaves no other choice
 * @param description for operators
 */
@Doc("A device priority class.")
public record PriorityClass(
        @Doc("Whether the engine may curtail these devices for soft limits and grid events.") @Default("true")
        boolean interruptible,

        @Doc("What the class is for.") Optional<String> description) {

    /** The class every contracted AI load belongs to: must run. */
    public static final String AI_CONTRACT = "ai-contract";

    /** The class of miners: interruptible. */
    public static final String HASHING = "hashing";
}
