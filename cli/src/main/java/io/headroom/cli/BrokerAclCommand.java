package io.headroom.cli;

import io.headroom.config.ConfigException;
import io.headroom.controller.broker.MosquittoAcl;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.controller.config.MqttMode;
import io.headroom.controller.mqtt.CredentialStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the external broker's Mosquitto {@code acl_file} from controller.yaml: the site, the
 * controller's broker username, and the principals of {@code mqtt.credentials-file}
 * (docs/external-broker.md). On a broker the controller cannot check who publishes where; this is
 * what makes the broker check it.
 */
@Command(
        name = "broker-acl",
        description = {
            "Writes a Mosquitto acl_file for mqtt.mode: external from controller.yaml and its credentials file:",
            "each agent its own topics only, the controller the site, observers read-only, grid and price",
            "principals only their topics. Example: ./headroom broker-acl --config controller.yaml"
                    + " --output /etc/mosquitto/headroom.acl"
        })
final class BrokerAclCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "Path of controller.yaml (mqtt.mode: external).")
    Path config;

    @Option(
            names = "--output",
            description = "Write the ACL to this file (replaced whole); standard output when absent.")
    Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ControllerConfig parsed;
        try {
            parsed = ControllerConfigLoader.load(config);
        } catch (ConfigException e) {
            return ConfigProblems.report(err, config, e.problems());
        }
        if (parsed.mqtt().mode() != MqttMode.EXTERNAL) {
            err.println("headroom: " + config + ": mqtt.mode is embedded, so there is no broker to write an ACL for;"
                    + " set mqtt.mode: external and mqtt.external (docs/external-broker.md)");
            return ConfigProblems.EXIT_CODE;
        }
        ExternalBrokerConfig broker = parsed.mqtt().external().orElseThrow();
        CredentialStore credentials = CredentialStore.load(parsed.mqtt().credentialsFile());
        String acl;
        try {
            acl = MosquittoAcl.write(parsed.site(), credentials, broker.username(), broker.sharedGroup());
        } catch (IllegalArgumentException e) {
            err.println("headroom: " + e.getMessage());
            return ConfigProblems.EXIT_CODE;
        }
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(acl);
            out.flush();
            return 0;
        }
        Path target = output.toAbsolutePath();
        Path temporary = Files.createTempFile(target.getParent(), ".headroom-acl", ".tmp");
        try {
            Files.writeString(temporary, acl, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        err.println("headroom: wrote " + target + " (" + credentials.size() + " principals and the controller);"
                + " reload Mosquitto (SIGHUP) to apply it");
        return 0;
    }
}
