package io.headroom.controller.command;

/**
 * Told when a tracked command moves: an agent's result arrived, or it expired. Called with the
 * service's monitor released, on the thread that delivered the result or ran the sweep; keep it short
 * and never call back into the service from it.
 */
@FunctionalInterface
public interface CommandListener {

    void changed(CommandView command);
}
