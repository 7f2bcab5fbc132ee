package io.headroom.cli;

import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.driver.snmp.SnmpDriverFactory;
import io.headroom.agent.driver.snmp.SnmpProfile;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The probe's own SNMP v1/v2c identification, for as long as the agent's SNMP driver cannot identify
 * devices itself ({@code DriverFactory#identifies()} false): GETs sysObjectID.0 and sysDescr.0 and
 * applies every built-in snmp profile's {@code match:} rules ({@link SnmpProfile#identifies}), the same
 * rules an agent would apply. Once the driver identifies, {@link DeviceProbe} uses it and this is unused.
 */
final class SnmpIdentification {
    private static final OID SYS_DESCR = new OID("1.3.6.1.2.1.1.1.0");
    private static final OID SYS_OBJECT_ID = new OID("1.3.6.1.2.1.1.2.0");

    private SnmpIdentification() {}

    /** True while the probe must identify SNMP devices itself. */
    static boolean needed() {
        return BuiltInDrivers.registry()
                .factory(SnmpDriverFactory.NAME)
                .map(f -> !f.identifies())
                .orElse(false);
    }

    /**
     * The first built-in snmp profile whose rules match what the device says.
     *
     * @return {@link DeviceProbe.Identified} is never returned: a match is {@code Optional.of(profile id)}
     *     in {@link Result#profile()}; otherwise the outcome to report
     */
    static Result identify(String host, int port, int version, String community, Duration timeout)
            throws InterruptedException {
        List<? extends VariableBinding> answer;
        try (Snmp snmp = new Snmp(new DefaultUdpTransportMapping())) {
            snmp.listen();
            CommunityTarget<UdpAddress> target =
                    new CommunityTarget<>(new UdpAddress(host + "/" + port), new OctetString(community));
            target.setVersion(version == 1 ? SnmpConstants.version1 : SnmpConstants.version2c);
            target.setTimeout(timeout.toMillis());
            target.setRetries(1);
            PDU request = new PDU();
            request.setType(PDU.GET);
            request.add(new VariableBinding(SYS_OBJECT_ID));
            request.add(new VariableBinding(SYS_DESCR));
            ResponseEvent<UdpAddress> event = snmp.send(request, target);
            PDU response = event == null ? null : event.getResponse();
            if (response == null) {
                String why = event != null && event.getError() != null
                        ? ": " + event.getError().getMessage()
                        : "";
                return Result.of(new DeviceProbe.NoAnswer(
                        "timeout",
                        "no answer to GET sysObjectID.0, sysDescr.0 within " + timeout.toMillis() + " ms" + " ("
                                + (target.getRetries() + 1) + " tries)" + why));
            }
            if (response.getErrorStatus() != 0 || response.size() != 2) {
                return Result.of(new DeviceProbe.NoMatch(
                        "answers, but does not give sysObjectID and sysDescr (" + response.getErrorStatusText() + ")"));
            }
            answer = response.getVariableBindings();
        } catch (IllegalArgumentException e) {
            return Result.of(
                    new DeviceProbe.Unusable(List.of("not an address: " + host + " (" + e.getMessage() + ")")));
        } catch (IOException e) {
            return Result.of(new DeviceProbe.NoAnswer("io-error", e.getMessage()));
        }
        Variable objectId = answer.get(0).getVariable();
        Variable descr = answer.get(1).getVariable();
        if (!(objectId instanceof OID oid) || descr.isException()) {
            return Result.of(new DeviceProbe.NoMatch("answers, but its sysObjectID is " + objectId));
        }
        DriverRegistry.CompiledProfiles profiles = BuiltInDrivers.profiles();
        List<FirmwareProfile> candidates = DriverRegistry.candidates(SnmpDriverFactory.NAME, profiles);
        for (FirmwareProfile candidate : candidates) {
            if (profiles.compiled(candidate.id()) instanceof SnmpProfile compiled
                    && compiled.identifies(oid, descr.toString())) {
                return new Result(Optional.of(candidate.id()), Optional.empty());
            }
        }
        return Result.of(new DeviceProbe.NoMatch("answers, but matches no snmp profile (sysObjectID " + oid
                + ", sysDescr '" + descr + "'; tried "
                + String.join(", ", candidates.stream().map(FirmwareProfile::id).toList()) + ")"));
    }

    /** Either the matching profile's id or the outcome that says why there is none. */
    record Result(Optional<String> profile, Optional<DeviceProbe.Outcome> outcome) {
        static Result of(DeviceProbe.Outcome outcome) {
            return new Result(Optional.empty(), Optional.of(outcome));
        }
    }
}
