package io.headroom.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code headroom grid-event create|list|show|cancel|dry-run}: the controller's grid-event API
 * from a shell. Exit codes: 0 done, 2 refused by the API (or bad usage, no password), 3 the
 * controller cannot be reached.
 */
@Command(
        name = "grid-event",
        description = {
            "Creates, lists, shows, cancels and dry-runs grid events on a running controller (docs/grid-events.md).",
            "Exit codes: 0 done, 2 refused by the API or bad usage, 3 cannot reach the controller.",
            "Example: HEADROOM_PASSWORD=… ./headroom grid-event create --user olga --target-kw 600"
                    + " --end 2026-12-01T18:00:00Z --reference 4cp-2026-12-01"
        },
        subcommands = {
            GridEventCommand.Create.class,
            GridEventCommand.ListEvents.class,
            GridEventCommand.Show.class,
            GridEventCommand.Cancel.class,
            GridEventCommand.DryRun.class
        })
final class GridEventCommand {
    static final String PATH = "/api/v1/grid-events";
    static final int REFUSED = 2;
    static final int UNREACHABLE = 3;

    /** Where the password may come from; tests replace it. */
    static Function<String, String> environment = System::getenv;

    private GridEventCommand() {}

    /** Signs in, runs {@code call}, maps failures to the exit codes. */
    abstract static class ApiCall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient.Options api;

        abstract Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                Object signedIn = ApiClient.signIn(api, environment);
                if (signedIn instanceof ApiClient.Answer refused) {
                    return refused(refused);
                }
                return run((ApiClient) signedIn, spec.commandLine().getOut());
            } catch (ApiClient.NoPassword e) {
                err.println("headroom: " + e.getMessage());
                return REFUSED;
            } catch (ApiClient.Unreachable e) {
                err.println("headroom: " + e.getMessage());
                return UNREACHABLE;
            }
        }

        /** Prints why the API refused and answers exit code 2. */
        int refused(ApiClient.Answer answer) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("headroom: refused (" + answer.status() + "):");
            answer.errors().forEach(line -> err.println("  " + line));
            return REFUSED;
        }

        int printed(ApiClient.Answer answer, PrintWriter out) {
            if (!answer.ok()) {
                return refused(answer);
            }
            try {
                out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.body()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }
    }

    /** The request options of create and dry-run. */
    static final class EventOptions {
        @Option(names = "--target-kw", description = "Keep the site at or below this many kW.")
        Double targetKw;

        @Option(names = "--reduce-kw", description = "Keep the site this many kW below its load at the start.")
        Double reduceKw;

        @Option(names = "--reduce-percent", description = "Keep the site this percentage below its load at the start.")
        Double reducePercent;

        @Option(names = "--start", description = "ISO-8601 start, e.g. 2026-12-01T16:00:00Z (default: now).")
        String start;

        @Option(names = "--end", description = "ISO-8601 end, e.g. 2026-12-01T18:00:00Z.")
        String end;

        @Option(names = "--ramp-seconds", description = "Deadline to reach the target, from the start (default 300).")
        Integer rampSeconds;

        @Option(names = "--priority", description = "normal (ramp down) or emergency (at once).")
        String priority;

        @Option(names = "--reference", description = "Your name for the event; the same reference updates it.")
        String reference;

        @Option(names = "--source", description = "Who sends it (default api).")
        String source;

        /** The JSON body with the options given; the API checks them. */
        String body() {
            ObjectNode node = ApiClient.JSON.createObjectNode();
            if (targetKw != null) {
                node.put("target_kw", targetKw);
            }
            if (reduceKw != null) {
                node.put("reduce_kw", reduceKw);
            }
            if (reducePercent != null) {
                node.put("reduce_percent", reducePercent);
            }
            if (start != null) {
                node.put("start", start);
            }
            if (end != null) {
                node.put("end", end);
            }
            if (rampSeconds != null) {
                node.put("ramp_seconds", rampSeconds);
            }
            if (priority != null) {
                node.put("priority", priority);
            }
            if (reference != null) {
                node.put("reference", reference);
            }
            if (source != null) {
                node.put("source", source);
            }
            return node.toString();
        }
    }

    @Command(
            name = "create",
            description = "Creates a grid event (or updates the one with the same --source and --reference);"
                    + " prints its id.")
    static final class Create extends ApiCall {
        @Mixin
        EventOptions event;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            ApiClient.Answer answer = client.post(PATH, event.body());
            if (!answer.ok()) {
                return refused(answer);
            }
            out.println(answer.body().path("id").asText());
            return 0;
        }
    }

    @Command(
            name = "list",
            description = "Lists the grid events, newest first: id, state, target kW, start, end, reference.")
    static final class ListEvents extends ApiCall {
        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            ApiClient.Answer answer = client.get(PATH);
            if (!answer.ok()) {
                return refused(answer);
            }
            for (JsonNode event : answer.body()) {
                out.println(String.join(
                        "\t",
                        event.path("id").asText(),
                        event.path("state").asText(),
                        event.path("target_kw").isNull()
                                ? "-"
                                : event.path("target_kw").asText(),
                        event.path("start").asText(),
                        event.path("end").asText(),
                        event.path("reference").isNull()
                                ? "-"
                                : event.path("reference").asText()));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Prints one grid event with its compliance record (JSON).")
    static final class Show extends ApiCall {
        @Parameters(paramLabel = "ID", description = "The event's id.")
        String id;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            return printed(client.get(PATH + "/" + encoded(id)), out);
        }
    }

    @Command(name = "cancel", description = "Cancels a grid event; the controller restores its devices.")
    static final class Cancel extends ApiCall {
        @Parameters(paramLabel = "ID", description = "The event's id.")
        String id;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            ApiClient.Answer answer = client.delete(PATH + "/" + encoded(id));
            if (!answer.ok()) {
                return refused(answer);
            }
            out.println(answer.body().path("id").asText() + " "
                    + answer.body().path("state").asText());
            return 0;
        }
    }

    @Command(
            name = "dry-run",
            description = "Shows what the controller would make of an event and the actions it would take, sending"
                    + " none (JSON).")
    static final class DryRun extends ApiCall {
        @Mixin
        EventOptions event;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            return printed(client.post(PATH + "/dry-run", event.body()), out);
        }
    }

    /** An id as one path segment. */
    static String encoded(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
