package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.MetricDictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code points:} section of an snmp profile: what one poll reads (GETs of scalars, walks of table
 * columns) and what each capability sets. Checked against the profile's capabilities by
 * {@link SnmpDriverFactory#compile}.
 *
 * @param identity where model and firmware are read
 * @param maxRepetitions GETBULK max-repetitions of a walk (v2c, v3); v1 walks with GETNEXT
 * @param scalars metrics read with one GET each (batched into one request)
 * @param tables tables walked column by column
 * @param controls capability verb → what it sets
 */
public record SnmpPoints(
        @Doc("Where model and firmware are read.") Optional<SnmpIdentitySpec> identity,

        @Doc("GETBULK max-repetitions of a walk (v2c, v3).") @Default("24") @Range(min = "1", max = "100")
        int maxRepetitions,

        @Doc("Metrics read with a GET of one OID each.") List<SnmpScalar> scalars,

        @Doc("Tables walked column by column; instances come from a number column or the row index.")
        List<SnmpTable> tables,

        @Doc("Capability verb → the INTEGER it sets.") Map<String, SnmpControl> controls) {

    public SnmpPoints {
        if (maxRepetitions < 1 || maxRepetitions > 100) {
            throw new IllegalArgumentException("max-repetitions: " + maxRepetitions + " must be 1 to 100");
        }
        scalars = List.copyOf(scalars);
        tables = List.copyOf(tables);
        controls = Map.copyOf(controls);
        if (scalars.isEmpty() && tables.isEmpty()) {
            throw new IllegalArgumentException("scalars: a profile must read something: give scalars or tables");
        }
        Set<String> keys = new HashSet<>();
        for (SnmpScalar scalar : scalars) {
            if (!keys.add(MetricDictionary.displayKey(scalar.metric(), scalar.instance()))) {
                throw new IllegalArgumentException("scalars: "
                        + MetricDictionary.displayKey(scalar.metric(), scalar.instance()) + " is read twice");
            }
        }
        Set<String> names = new HashSet<>();
        for (SnmpTable table : tables) {
            if (!names.add(table.name())) {
                throw new IllegalArgumentException("tables: two tables are named " + table.name());
            }
        }
        for (Map.Entry<String, SnmpControl> control : controls.entrySet()) {
            String table = control.getValue().table();
            if (!table.isEmpty() && !names.contains(table)) {
                throw new IllegalArgumentException("controls: " + control.getKey() + " names table '" + table
                        + "', which is not one of tables " + names);
            }
        }
    }

    /** The table of a name. */
    public Optional<SnmpTable> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The identity spec, or the default (model and firmware from sysDescr). */
    public SnmpIdentitySpec identityOrDefault() {
        return identity.orElse(new SnmpIdentitySpec(Optional.empty(), ".+"));
    }
}
