package io.headroom.cli;

import io.headroom.config.ConfigException;
import io.headroom.controller.Controller;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a controller from {@code controller.yaml} until interrupted. */
@Command(name = "controller", description = "Runs the controller (MQTT endpoint, ingest, HTTP API and web UI).")
final class ControllerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "Path of controller.yaml.")
    Path config;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ControllerConfig parsed;
        try {
            parsed = ControllerConfigLoader.load(config);
        } catch (ConfigException e) {
            return ConfigProblems.report(err, config, e.problems());
        }
        Controller controller = Controller.start(parsed, Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Headroom controller for site '" + parsed.site() + "' is running.");
        out.println("  Web UI and API   " + Addresses.http(controller.httpAddress()));
        if (controller.broker().isPresent()) {
            out.println("  MQTT broker      " + controller.broker().get().url() + " (external)");
        } else {
            out.println("  MQTT endpoint    " + Addresses.mqtt(controller.mqttAddress()));
        }
        out.flush();
        Shutdown.awaitSignal(controller);
        return 0;
    }
}
