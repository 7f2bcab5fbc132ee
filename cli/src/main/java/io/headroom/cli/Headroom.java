package io.headroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code headroom} launcher. */
@Command(
        name = "headroom",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps mixed bitcoin-mining and AI-compute sites inside their power and cooling limits.",
        subcommands = {
            DemoCommand.class,
            ControllerCommand.class,
            AgentCommand.class,
            TailCommand.class,
            HashPasswordCommand.class,
            BrokerAclCommand.class,
            SchemaCommand.class,
            GridEventCommand.class,
            ReservationCommand.class,
            BacktestCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Headroom {

    private Headroom() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    static CommandLine commandLine() {
        return new CommandLine(new Headroom())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new StartupFailure());
    }
}
