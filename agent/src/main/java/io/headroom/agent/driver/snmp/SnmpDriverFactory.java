package io.headroom.agent.driver.snmp;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link SnmpDriver}s for profiles with {@code driver: snmp}, all sharing the agent's one
 * {@link SnmpSession}.
 */
public final class SnmpDriverFactory implements DriverFactory<SnmpSettings, SnmpProfile> {

    /** The name profiles use. */
    public static final String NAME = "snmp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<SnmpSettings> settingsType() {
        return SnmpSettings.class;
    }

    @Override
    public SnmpProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        SnmpPoints points = binder.bind(profile.points(), SnmpPoints.class, problems);
        List<SnmpMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            SnmpMatch bound = binder.bind(rule, SnmpMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin at = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(
                    at,
                    "profile " + profile.id() + ": an snmp profile needs at least one match: rule"
                            + " (sys-object-id, sys-descr)");
            return null;
        }
        check(profile.checkedCapabilities(), points, at, problems);
        return problems.list().size() > before ? null : new SnmpProfile(points, match);
    }

    /** Every capability has a control that can reach its instances and be read back; no control is spare. */
    static void check(Map<Verb, Capability> capabilities, SnmpPoints points, ConfigNode.Origin at, Problems problems) {
        for (Map.Entry<Verb, Capability> entry : capabilities.entrySet()) {
            String verb = Verbs.name(entry.getKey());
            Capability capability = entry.getValue();
            SnmpControl control = points.controls().get(verb);
            if (control == null) {
                problems.add(at, "controls: capability " + verb + " has no control saying what to set");
                continue;
            }
            if (Verbs.takesValue(entry.getKey())) {
                problems.add(at, "controls: " + verb + " takes a value, but an snmp control sets a fixed INTEGER");
            }
            Optional<SnmpTable> table = points.table(control.table());
            if (!capability.instances().isEmpty() && !control.usesRow()) {
                problems.add(at, "controls: " + verb + " has instances, but its oid has no {row}");
            }
            if (capability.instances().isEmpty() && control.usesRow()) {
                problems.add(at, "controls: " + verb + " uses {row}, but the capability lists no instances");
            }
            if (control.usesRow() && table.isPresent()) {
                List<String> unreachable = capability.instances().stream()
                        .filter(i -> !table.get().couldProduce(i))
                        .toList();
                if (!unreachable.isEmpty()) {
                    problems.add(
                            at,
                            "controls: " + verb + ": instances " + unreachable + " cannot be rows of table "
                                    + table.get().name() + ", whose instances are '"
                                    + table.get().instancePrefix()
                                    + "' followed by a number");
                }
            }
            capability
                    .readBack()
                    .ifPresent(readBack -> checkReadBack(verb, readBack, control, table, points, at, problems));
        }
        for (String verb : points.controls().keySet()) {
            if (Verbs.parse(verb).map(v -> !capabilities.containsKey(v)).orElse(true)) {
                problems.add(
                        at,
                        "controls: " + verb + " is not a capability of this profile; declare it under"
                                + " capabilities or remove it");
            }
        }
    }

    private static void checkReadBack(
            String verb,
            ReadBack readBack,
            SnmpControl control,
            Optional<SnmpTable> table,
            SnmpPoints points,
            ConfigNode.Origin at,
            Problems problems) {
        Optional<? extends SnmpValueMapping> mapping;
        String where;
        if (control.usesRow()) {
            if (table.isEmpty()) {
                return;
            }
            mapping = table.get().column(readBack.metric());
            where = "a column of table " + table.get().name();
        } else {
            mapping = points.scalars().stream()
                    .filter(s ->
                            s.metric().equals(readBack.metric()) && s.instance().isEmpty())
                    .findFirst();
            where = "a device-total scalar";
        }
        if (mapping.isEmpty()) {
            problems.add(
                    at, "controls: " + verb + " is read back from " + readBack.metric() + ", which is not " + where);
            return;
        }
        if (readBack.expect().isPresent()
                && mapping.get().rawOf(readBack.expect().get()).isEmpty()) {
            problems.add(
                    at,
                    "controls: " + verb + " expects " + readBack.metric() + " "
                            + readBack.expect().get() + " on read-back, but no device value maps to it in states "
                            + mapping.get().states());
        }
    }

    @Override
    public Driver create(
            DeviceConfig device,
            SnmpSettings settings,
            FirmwareProfile profile,
            SnmpProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        SnmpClient client = new SnmpClient(
                () -> context.shared(
                        SnmpSession.SHARED_KEY, SnmpSession.class, () -> SnmpSession.open(context.meters())),
                settings,
                device.timeout(),
                context.secrets(),
                context.rawReplies().recorder(device.id()));
        return new SnmpDriver(device.id(), profile, compiled, client, context.wallClock());
    }
}
