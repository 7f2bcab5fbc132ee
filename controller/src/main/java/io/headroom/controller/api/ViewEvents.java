package io.headroom.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.reservation.ReservationBook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's views beside the device table — the site tree, the grid events, the engine's decisions, the
 * alerts, the market and the reservations — as named events of the device stream ({@link DeviceEvents}, D54). At each tick the stream's own
 * thread builds every view's JSON with the code its route answers with, and a view whose JSON is not what it
 * was at the last tick is changed: only those go out to the streams, so a site that stands still sends
 * nothing. A view's stamp (the site's {@code at}, the time it was computed) is left out of the comparison,
 * since it differs every time; it goes out with the rest. Not thread-safe: only the ticking thread calls it.
 */
final class ViewEvents {

    /** The decisions the page's site view lists: the stream's {@code decisions} event carries as many. */
    static final int DECISIONS = 20;

    private static final Logger logger = LoggerFactory.getLogger(ViewEvents.class);

    /**
     * One view.
     *
     * @param name the event's name
     * @param json builds the view's JSON now, as its route answers it
     * @param stamp a top-level field that changes at every build without the view changing; null for none
     */
    record View(
            String name, Supplier<JsonNode> json, @Nullable String stamp) {}

    private final List<View> views;
    /** Each view's JSON without its stamp at the last tick: what the next is compared with. */
    private final Map<String, String> compared = new HashMap<>();
    /** Each view's event as it went or goes out: {@code event: name}, its data line, a blank line. */
    private final Map<String, String> events = new HashMap<>();
    /** Views whose build threw at the last tick; logged once per run of failures, counted every time. */
    private final Set<String> failing = new HashSet<>();

    private final Counter failures;

    ViewEvents(List<View> views, MeterRegistry registry) {
        this.views = List.copyOf(views);
        this.failures = Counter.builder("headroom.http.streams.view.failures")
                .description("Builds of a streamed view (site, grid events, decisions, alerts) that failed")
                .register(registry);
    }

    /** The page's six, from what their routes answer (GET /api/v1/site?devices=count, …/grid-events, …). */
    static ViewEvents of(ApiContext context) {
        ObjectMapper mapper = Responses.MAPPER;
        List<View> views = new ArrayList<>();
        // What GET /api/v1/site?devices=count answers: the page lists no device rows, and they are most of the tree.
        views.add(new View("site", () -> context.siteTree().get(mapper, false).body(), "at"));
        views.add(new View(
                "grid-events",
                () -> {
                    Optional<GridEventBook> book = context.gridEvents().book();
                    return book.isPresent()
                            ? GridEventRoutes.list(book.get(), mapper)
                            : Responses.errorBody(GridEventRoutes.NO_BOOK);
                },
                null));
        views.add(new View("decisions", () -> context.decisions().toJson(mapper, DECISIONS), null));
        views.add(new View("alerts", () -> AlertRoutes.body(context.alerts().get(), mapper), null));
        // What the market section reads: GET /api/v1/market with the summary of the page's 24 hours beside it.
        MarketRoutes market = new MarketRoutes(context.market(), context.clock());
        views.add(new View(
                "market",
                () -> context.market()
                        .<JsonNode>map(m ->
                                market.statusBody(m).set("summary", market.summaryBody(m, MarketRoutes.DEFAULT_HOURS)))
                        .orElseGet(() -> Responses.errorBody(MarketRoutes.NO_MARKET)),
                "at"));
        views.add(new View(
                "reservations",
                () -> context.reservations()
                        .book()
                        .<JsonNode>map(ReservationBook::list)
                        .orElseGet(() -> Responses.errorBody(ReservationRoutes.NO_BOOK)),
                null));
        return new ViewEvents(views, context.registry());
    }

    /** The views' names, in the order their events go out. */
    List<String> names() {
        return views.stream().map(View::name).toList();
    }

    /**
     * Builds every view now; returns the names of those whose JSON changed since the last call (all of them
     * at the first). A view whose build throws keeps its last event and is not changed.
     */
    Set<String> refresh() {
        Set<String> changed = new LinkedHashSet<>();
        for (View view : views) {
            JsonNode json;
            try {
                json = view.json().get();
            } catch (RuntimeException e) {
                failures.increment();
                if (failing.add(view.name())) {
                    logger.warn("streamed view '{}' cannot be built; its last event stands", view.name(), e);
                }
                continue;
            }
            failing.remove(view.name());
            JsonNode stamp =
                    view.stamp() != null && json instanceof ObjectNode object ? object.remove(view.stamp()) : null;
            String rest = json.toString();
            if (!rest.equals(compared.put(view.name(), rest))) {
                changed.add(view.name());
            }
            events.put(view.name(), "event: " + view.name() + "\ndata: " + stamped(rest, view.stamp(), stamp) + "\n\n");
        }
        return changed;
    }

    /**
     * The events of the views named, in the views' order; a view never built yet is left out. Each data line
     * is one line of JSON: Jackson escapes the line breaks inside strings.
     */
    String events(Collection<String> names) {
        StringBuilder text = new StringBuilder();
        for (View view : views) {
            String event = events.get(view.name());
            if (event != null && names.contains(view.name())) {
                text.append(event);
            }
        }
        return text.toString();
    }

    /** {@code rest} (an object's JSON) with {@code "field": stamp} put back first, or as it is without one. */
    private static String stamped(String rest, @Nullable String field, @Nullable JsonNode stamp) {
        if (field == null || stamp == null) {
            return rest;
        }
        String pair = TextNode.valueOf(field) + ":" + stamp;
        return rest.equals("{}") ? "{" + pair + "}" : "{" + pair + "," + rest.substring(1);
    }
}
