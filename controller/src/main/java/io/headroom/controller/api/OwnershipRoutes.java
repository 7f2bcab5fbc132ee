package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.store.OwnershipRelease;
import io.headroom.controller.store.StateStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/devices/{id}/release}: an admin hands a device in conflict over from an owner
 * that is gone to the agents that claim it ({@link StateStore#releaseOwnership}). Audited
 * write-ahead like a command: the {@code ownership-release-intent} entry is on disk before anything
 * changes (else 503, nothing changed), the {@code ownership-release} entry says what came of it.
 * The body must be empty or an empty JSON object: the request carries no choices.
 */
final class OwnershipRoutes {

    static final String SEGMENT = "release";

    private static final Logger logger = LoggerFactory.getLogger(OwnershipRoutes.class);

    private final StateStore store;
    private final ApiGate gate;
    private final Clock clock;

    OwnershipRoutes(StateStore store, ApiGate gate, Clock clock) {
        this.store = store;
        this.gate = gate;
        this.clock = clock;
    }

    FullHttpResponse release(String deviceId, FullHttpRequest request, Principal who, Peer peer) {
        String body = request.content().toString(StandardCharsets.UTF_8).strip();
        if (!body.isEmpty() && !body.replaceAll("\\s", "").equals("{}")) {
            FullHttpResponse refused = error(
                    HttpResponseStatus.BAD_REQUEST,
                    "a release takes no fields: send an empty body or {}, got " + clip(body));
            record("ownership-release", deviceId, who, peer, refused.status().code(), "refused: fields in the body");
            return refused;
        }
        try {
            record("ownership-release-intent", deviceId, who, peer, 0, "about to release");
        } catch (UncheckedIOException e) {
            logger.error(
                    "refusing {}'s release of device '{}': its audit entry cannot be written", who.name(), deviceId, e);
            return error(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the audit log cannot be written, so nothing was released: " + e.getMessage());
        }
        OwnershipRelease release = store.releaseOwnership(deviceId);
        FullHttpResponse response = answer(deviceId, release);
        String outcome = switch (release.outcome()) {
            case RELEASED -> "released from " + release.owner() + " to " + String.join(", ", release.claimants());
            case NO_SUCH_DEVICE -> "no such device";
            case NOT_IN_CONFLICT -> "not in conflict";
            case OWNER_CONNECTED -> "owner " + release.owner() + " connected";
        };
        try {
            record("ownership-release", deviceId, who, peer, response.status().code(), outcome);
        } catch (UncheckedIOException e) {
            logger.error(
                    "the outcome ({}) of {}'s release of device '{}' cannot be written to the audit log; its intent"
                            + " entry is there",
                    outcome,
                    who.name(),
                    deviceId,
                    e);
        }
        return response;
    }

    private static FullHttpResponse answer(String deviceId, OwnershipRelease release) {
        switch (release.outcome()) {
            case NO_SUCH_DEVICE:
                return error(HttpResponseStatus.NOT_FOUND, "no such device: " + clip(deviceId));
            case NOT_IN_CONFLICT:
                return error(
                        HttpResponseStatus.CONFLICT,
                        "not-in-conflict",
                        "device " + deviceId + " is claimed by no agent but its owner " + release.owner()
                                + ": there is nobody to hand it to");
            case OWNER_CONNECTED:
                return error(
                        HttpResponseStatus.CONFLICT,
                        "owner-connected",
                        "device " + deviceId + "'s owner " + release.owner() + " is connected and keeps it; stop"
                                + " the agent that should not report it, or release it once its owner is gone");
            default:
                ObjectNode node = Responses.MAPPER.createObjectNode();
                node.put("device", deviceId);
                node.put("releasedFrom", release.owner());
                release.claimants().forEach(node.putArray("claimants")::add);
                node.put(
                        "message",
                        "device " + deviceId + " no longer belongs to " + release.owner() + "; "
                                + String.join(", ", release.claimants())
                                + (release.claimants().size() == 1 ? " was" : " were")
                                + " asked for a fresh Birth, and the first to send one owns it");
                return json(HttpResponseStatus.OK, node);
        }
    }

    /** @throws UncheckedIOException when the audit log cannot be written */
    private void record(String action, String deviceId, Principal who, Peer peer, int status, String outcome) {
        gate.record(clock.instant(), who, peer, action, deviceId, "", status, outcome);
    }
}
