package io.headroom.simulator.snmp;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * One object instance a {@link SnmpEndpoint} serves: its value is read from the simulated device at the
 * moment of each request, and a writable one hands SETs to the device.
 *
 * @param oid    the full instance OID, e.g. {@code 1.3.6.1.2.1.1.1.0}
 * @param read   the current value; must keep its syntax (type) for the object's life
 * @param writer what a SET does, for read-write objects
 */
public record SnmpObject(OID oid, Supplier<? extends Variable> read, Optional<Writer> writer) {

    public SnmpObject {
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(writer, "writer");
    }

    public static SnmpObject readOnly(String oid, Supplier<? extends Variable> read) {
        return new SnmpObject(new OID(oid), read, Optional.empty());
    }

    public static SnmpObject readWrite(String oid, Supplier<? extends Variable> read, Writer writer) {
        return new SnmpObject(new OID(oid), read, Optional.of(writer));
    }

    /** The device side of a read-write INTEGER object. */
    public interface Writer {
        /**
         * Checks a value before anything is changed.
         *
         * @return 0 to accept, or an SNMP error status ({@code SnmpConstants.SNMP_ERROR_WRONG_VALUE} …)
         */
        int check(int value);

        /** Applies an accepted value. */
        void apply(int value);
    }
}
