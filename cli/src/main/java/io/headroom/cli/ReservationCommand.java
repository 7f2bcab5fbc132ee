package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code headroom reservation create|list|show|cancel}: the controller's reservation API from a
 * shell, with the exit codes of {@link GridEventCommand}: 0 done, 2 refused (a 422 prints the
 * arithmetic), 3 the controller cannot be reached.
 */
@Command(
        name = "reservation",
        description = {
            "Asks for, lists, shows and cancels capacity reservations on a running controller"
                    + " (docs/reservations.md).",
            "Exit codes: 0 done, 2 refused by the API (with the arithmetic when the capacity cannot be freed)"
                    + " or bad usage, 3 cannot reach the controller.",
            "Example: HEADROOM_PASSWORD=… ./headroom reservation create --user olga --kw 400 --scope feed:feed-a"
                    + " --start 2026-12-01T18:00:00Z --end 2026-12-01T22:00:00Z --lead-seconds 600"
                    + " --reference train-42"
        },
        subcommands = {
            ReservationCommand.Create.class,
            ReservationCommand.ListReservations.class,
            ReservationCommand.Show.class,
            ReservationCommand.Cancel.class
        })
final class ReservationCommand {
    static final String PATH = "/api/v1/reservations";

    private ReservationCommand() {}

    @Command(name = "create", description = "Asks for capacity in one scope; prints the reservation's id.")
    static final class Create extends GridEventCommand.ApiCall {
        @Option(names = "--kw", required = true, description = "The capacity to free, kW.")
        double kw;

        @Option(
                names = "--scope",
                required = true,
                paramLabel = "KIND:ID",
                description = "Where: site, feed, pdu, circuit, rack or zone, and its id, e.g. feed:feed-a.")
        String scope;

        @Option(names = "--start", required = true, description = "ISO-8601 start, e.g. 2026-12-01T18:00:00Z.")
        String start;

        @Option(names = "--end", required = true, description = "ISO-8601 end.")
        String end;

        @Option(names = "--lead-seconds", description = "Free it this long before the start (default 0).")
        Integer leadSeconds;

        @Option(names = "--priority", description = "0-100, higher first when holds compete (default 50).")
        Integer priority;

        @Option(
                names = "--reference",
                description = "Your name for it; the same reference and terms is the same reservation.")
        String reference;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.put("kw", kw);
            int colon = scope.indexOf(':');
            if (colon <= 0 || colon == scope.length() - 1) {
                spec.commandLine()
                        .getErr()
                        .println("headroom: --scope is KIND:ID, e.g. feed:feed-a; not '" + scope + "'");
                return GridEventCommand.REFUSED;
            }
            body.putObject("scope").put("kind", scope.substring(0, colon)).put("id", scope.substring(colon + 1));
            body.put("start", start);
            body.put("end", end);
            if (leadSeconds != null) {
                body.put("lead_seconds", leadSeconds);
            }
            if (priority != null) {
                body.put("priority", priority);
            }
            if (reference != null) {
                body.put("reference", reference);
            }
            ApiClient.Answer answer = client.post(PATH, body.toString());
            if (!answer.ok()) {
                return refused(answer);
            }
            out.println(answer.body().path("id").asText());
            return 0;
        }
    }

    @Command(
            name = "list",
            description = "Lists the reservations: id, state, kW, scope, start, end, freed kW, reference.")
    static final class ListReservations extends GridEventCommand.ApiCall {
        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            ApiClient.Answer answer = client.get(PATH);
            if (!answer.ok()) {
                return refused(answer);
            }
            for (JsonNode r : answer.body()) {
                out.println(String.join(
                        "\t",
                        r.path("id").asText(),
                        r.path("state").asText(),
                        r.path("kw").asText(),
                        r.path("scope").path("kind").asText() + " "
                                + r.path("scope").path("id").asText(),
                        r.path("start").asText(),
                        r.path("end").asText(),
                        r.has("freed_kw") ? r.path("freed_kw").asText() : "-",
                        r.has("reference") ? r.path("reference").asText() : "-"));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Prints one reservation with its record of promised against freed (JSON).")
    static final class Show extends GridEventCommand.ApiCall {
        @Parameters(paramLabel = "ID", description = "The reservation's id.")
        String id;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            return printed(client.get(PATH + "/" + GridEventCommand.encoded(id)), out);
        }
    }

    @Command(name = "cancel", description = "Cancels a reservation; the controller restores what it curtailed for it.")
    static final class Cancel extends GridEventCommand.ApiCall {
        @Parameters(paramLabel = "ID", description = "The reservation's id.")
        String id;

        @Override
        Integer run(ApiClient client, PrintWriter out) throws ApiClient.Unreachable {
            ApiClient.Answer answer = client.delete(PATH + "/" + GridEventCommand.encoded(id));
            if (!answer.ok()) {
                return refused(answer);
            }
            out.println(answer.body().path("id").asText() + " "
                    + answer.body().path("state").asText());
            return 0;
        }
    }
}
