package io.headroom.agent.driver.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/**
 * Reads an snmpsim {@code .snmprec} walk: one {@code OID|type|value} per line, type as the BER tag in
 * decimal (2 INTEGER, 4 OCTET STRING, 4x the same hex-encoded, 5 NULL, 6 OID, 64 IpAddress, 65
 * Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64).
 */
final class Snmprec {

    private Snmprec() {}

    static NavigableMap<OID, Variable> read(Path file) throws IOException {
        NavigableMap<OID, Variable> out = new TreeMap<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|", 3);
            if (parts.length != 3) {
                throw new IOException(file + ":" + number + ": expected OID|type|value");
            }
            out.put(new OID(parts[0]), value(parts[1], parts[2], file + ":" + number));
        }
        return out;
    }

    private static Variable value(String type, String text, String where) throws IOException {
        switch (type) {
            case "2":
                return new Integer32(Integer.parseInt(text));
            case "4":
                return new OctetString(text);
            case "4x":
                return OctetString.fromHexStringPairs(text);
            case "5":
                return new Null();
            case "6":
                return new OID(text);
            case "64":
                return new IpAddress(text);
            case "65":
                return new Counter32(Long.parseLong(text));
            case "66":
                return new Gauge32(Long.parseLong(text));
            case "67":
                return new TimeTicks(Long.parseLong(text));
            case "70":
                return new Counter64(Long.parseUnsignedLong(text));
            default:
                throw new IOException(where + ": unknown snmprec type " + type);
        }
    }
}
