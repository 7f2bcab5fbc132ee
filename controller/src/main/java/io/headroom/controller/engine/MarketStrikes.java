package io.headroom.controller.engine;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the market rules want off now: miner models, and whole priority classes, whose break-even the
 * energy price has passed for long enough, each with the reason that carries the prices. The engine
 * puts their interruptible devices to sleep (a soft action: never a must-run or capped class) and
 * restores none of them while struck.
 *
 * @param models by model as the devices report it: the reason
 * @param classes by priority class: the reason
 */
public record MarketStrikes(Map<String, String> models, Map<String, String> classes) {

    /** Nothing struck. */
    public static final MarketStrikes NONE = new MarketStrikes(Map.of(), Map.of());

    public MarketStrikes {
        models = Map.copyOf(Objects.requireNonNull(models, "models"));
        classes = Map.copyOf(Objects.requireNonNull(classes, "classes"));
    }

    public boolean isEmpty() {
        return models.isEmpty() && classes.isEmpty();
    }

    /** Why a device of this model and class is struck, or null when it is not. */
    public @Nullable String reason(@Nullable String model, String priorityClass) {
        String byModel = model == null ? null : models.get(model);
        return byModel != null ? byModel : classes.get(priorityClass);
    }
}
