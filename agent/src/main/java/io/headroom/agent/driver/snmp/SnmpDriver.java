package io.headroom.agent.driver.snmp;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Reads and controls one SNMP device as its profile says, through the agent's shared
 * {@link SnmpSession}. A poll is {@link SnmpPoll}; a command SETs the control's INTEGER on the row of
 * its instance (looked up afresh through the table's number column) and reads the capability's
 * read-back metric from the same row at once.
 *
 * <p>Identity (sysDescr, sysObjectID, model) is read at the first poll and every
 * {@value #IDENTITY_EVERY} polls after; it is reported only by the poll that read it.
 */
public final class SnmpDriver implements Driver {

    /** Polls between two reads of the device's identity. */
    static final int IDENTITY_EVERY = 10;

    private final String deviceId;
    private final FirmwareProfile profile;
    private final SnmpProfile compiled;
    private final SnmpPoints points;
    private final SnmpClient client;
    private final Clock clock;
    private volatile boolean closed;
    private int pollsSinceIdentity = IDENTITY_EVERY;

    SnmpDriver(String deviceId, FirmwareProfile profile, SnmpProfile compiled, SnmpClient client, Clock clock) {
        this.deviceId = deviceId;
        this.profile = profile;
        this.compiled = compiled;
        this.points = compiled.points();
        this.client = client;
        this.clock = clock;
        client.maxRepetitions(client.settings().maxRepetitions().orElse(points.maxRepetitions()));
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), SnmpFault.CLOSED, "driver closed");
        }
        try {
            client.prepare();
        } catch (SnmpFault e) {
            return PollResult.offline(clock.instant(), e.reason(), e.getMessage());
        }
        boolean wantIdentity = pollsSinceIdentity >= IDENTITY_EVERY;
        PollResult result = SnmpPoll.run(clock, compiled, client, wantIdentity);
        if (closed) {
            return PollResult.offline(clock.instant(), SnmpFault.CLOSED, "driver closed");
        }
        if (result.identity() != null) {
            pollsSinceIdentity = 0;
        }
        pollsSinceIdentity++;
        return result;
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return failed(SnmpFault.CLOSED, "driver closed");
        }
        Optional<Capability> capability = profile.capability(verb);
        SnmpControl control = points.controls().get(Verbs.name(verb));
        if (capability.isEmpty() || control == null) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    "unsupported",
                    profile.id() + " has no " + Verbs.name(verb) + " capability",
                    OptionalDouble.empty());
        }
        try {
            client.prepare();
            Optional<SnmpTable> table = points.table(control.table());
            OID row = new OID();
            if (control.usesRow()) {
                Optional<OID> found = SnmpRows.rowOf(client, table.orElseThrow(), instance);
                if (found.isEmpty()) {
                    return failed(
                            "unknown-instance",
                            "the device's table " + control.table() + " has no row for " + "instance '" + instance
                                    + "'");
                }
                row = found.get();
            }
            OID target = control.resolve(row);
            try {
                client.set(target, new Integer32((int) control.value()));
            } catch (SnmpFault e) {
                String hint = e.reason().equals(SnmpFault.DEVICE_ERROR)
                        ? " (APC cards need the write community or a v3 user with write access enabled)"
                        : "";
                return failed(e.reason(), "SET " + target + " = " + control.value() + ": " + e.getMessage() + hint);
            }
            return readBack(capability.get(), table, row, target, control);
        } catch (SnmpFault e) {
            return failed(e.reason(), e.getMessage());
        }
    }

    private CommandOutcome readBack(
            Capability capability, Optional<SnmpTable> table, OID row, OID target, SnmpControl control)
            throws SnmpFault, InterruptedException {
        String sent = "SET " + target + " = " + control.value();
        if (capability.readBack().isEmpty()) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_APPLIED,
                    "",
                    sent + " accepted; the profile gives no" + " read-back",
                    OptionalDouble.empty());
        }
        ReadBack wanted = capability.readBack().get();
        SnmpValueMapping mapping;
        OID oid;
        if (control.usesRow()) {
            SnmpColumn column = table.orElseThrow().column(wanted.metric()).orElseThrow();
            mapping = column;
            oid = new OID(column.parsedOid()).append(row);
        } else {
            SnmpScalar scalar = points.scalars().stream()
                    .filter(s ->
                            s.metric().equals(wanted.metric()) && s.instance().isEmpty())
                    .findFirst()
                    .orElseThrow();
            mapping = scalar;
            oid = scalar.parsedOid();
        }
        List<VariableBinding> got;
        try {
            got = client.get(List.of(oid));
        } catch (SnmpFault e) {
            return failed(
                    "readback-failed", sent + " accepted, but reading back " + oid + " failed: " + e.getMessage());
        }
        Variable value = got.get(0).getVariable();
        OptionalLong raw = SnmpPoll.integer(value);
        OptionalDouble observed = raw.isPresent() ? mapping.map(raw.getAsLong()) : OptionalDouble.empty();
        OptionalInt expect = capability.expectedStateCode();
        if (expect.isPresent()) {
            String state = wanted.expect().orElseThrow();
            if (observed.isPresent() && observed.getAsDouble() == expect.getAsInt()) {
                return new CommandOutcome(
                        ResultStatus.RESULT_STATUS_APPLIED,
                        "",
                        sent + "; " + oid + " reads " + raw.getAsLong() + " (" + state + ")",
                        observed);
            }
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_FAILED,
                    "readback-mismatch",
                    "expected " + wanted.metric() + " " + state + " after " + sent + ", but " + oid + " reads " + value,
                    observed);
        }
        return new CommandOutcome(
                ResultStatus.RESULT_STATUS_FAILED,
                "readback-mismatch",
                sent + "; " + wanted.metric() + " reads " + value
                        + ", which a fixed-value SNMP control cannot be compared with",
                observed);
    }

    private static CommandOutcome failed(String reason, String message) {
        return new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }

    @Override
    public String toString() {
        return "SnmpDriver[" + deviceId + " " + profile.id() + "]";
    }
}
