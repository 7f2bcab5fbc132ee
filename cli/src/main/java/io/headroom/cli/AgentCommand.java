package io.headroom.cli;

import io.headroom.agent.Agent;
import io.headroom.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a rack agent from {@code agent.yaml} until interrupted. */
@Command(
        name = "agent",
        description = "Runs a rack agent: polls its devices and streams to the controller.",
        subcommands = {AgentProbeCommand.class, AgentScanCommand.class})
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Required to run an agent; not for {@code agent probe}, so checked here rather than by picocli. */
    @Option(names = "--config", description = "Path of agent.yaml (required to run an agent).")
    Path config;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (config == null) {
            err.println(
                    "headroom agent: --config <agent.yaml> is required (or: headroom agent probe <host>, headroom agent scan <block>)");
            err.flush();
            return 2;
        }
        Agent agent;
        try {
            agent = Agent.start(config);
        } catch (ConfigException e) {
            return ConfigProblems.report(err, config, e.problems());
        }
        spec.commandLine()
                .getOut()
                .println("Headroom agent is running (" + config + "); its metrics and health: "
                        + Addresses.http(agent.statusAddress()) + "metrics, " + Addresses.http(agent.statusAddress())
                        + "health");
        spec.commandLine().getOut().flush();
        Shutdown.awaitSignal(agent);
        return 0;
    }
}
