package io.headroom.cli;

import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.mqtt.Role;
import io.headroom.protocol.Topics;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints a line for the controller's credentials file. The password is read from the terminal
 * without echo, or from the first line of standard input, never from the command line (where it
 * would end up in shell history and {@code ps}).
 */
@Command(
        name = "hash-password",
        description = {
            "Prints a credentials-file line '<username> <role> <hash>' for the controller (roles agent, observer),",
            "or an http.users entry for controller.yaml (roles viewer, operator, admin).",
            "Reads the password from the terminal (no echo) or the first line of standard input.",
            "Example: ./headroom hash-password --username rack-a1 --role agent >> credentials",
            "Example: ./headroom hash-password --username olga --role operator"
        })
final class HashPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--username",
            required = true,
            description = "Agent id (for role agent), observer name, or HTTP API user name.")
    String username;

    @Option(
            names = "--role",
            defaultValue = "agent",
            description =
                    "agent, observer, grid or price (MQTT), viewer, operator or admin (HTTP API) (default: ${DEFAULT-VALUE}).")
    String role;

    @Override
    public Integer call() throws IOException {
        String spelled = role.toLowerCase(java.util.Locale.ROOT);
        ApiRole apiRole = null;
        for (ApiRole candidate : ApiRole.values()) {
            if (candidate.spelling().equals(spelled)) {
                apiRole = candidate;
            }
        }
        boolean mqtt = spelled.equals(Role.AGENT.fileName())
                || spelled.equals(Role.OBSERVER.fileName())
                || spelled.equals(Role.GRID.fileName())
                || spelled.equals(Role.PRICE.fileName());
        if (!mqtt && apiRole == null) {
            spec.commandLine()
                    .getErr()
                    .println("headroom: --role: '" + role
                            + "' is none of agent, observer, grid, price, viewer, operator, admin");
            return 2;
        }
        String problem = Topics.idProblem(username);
        if (problem != null) {
            spec.commandLine().getErr().println("headroom: --username: " + problem);
            return 2;
        }
        char[] password = readPassword();
        try {
            if (password.length == 0) {
                spec.commandLine().getErr().println("headroom: empty password refused");
                return 2;
            }
            String hash = PasswordHash.create(password).encoded();
            if (apiRole != null) {
                // A list item under http.users in controller.yaml; the hash quoted, as it holds '$'.
                spec.commandLine()
                        .getOut()
                        .println("    - {name: " + username + ", role: " + apiRole.spelling() + ", password-hash: \""
                                + hash + "\"}");
            } else {
                spec.commandLine().getOut().println(username + ' ' + spelled + ' ' + hash);
            }
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password for %s: ", username);
            return typed == null ? new char[0] : typed;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? new char[0] : line.strip().toCharArray();
    }
}
