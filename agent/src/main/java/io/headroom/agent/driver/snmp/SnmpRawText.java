package io.headroom.agent.driver.snmp;

import org.snmp4j.PDU;
import org.snmp4j.smi.VariableBinding;

/**
 * A PDU as the raw last reply shows it: the request as its type and OIDs, the answer as one
 * {@code OID = type: value} line per binding (binary octet strings as snmp4j writes them, hex bytes),
 * with its error status when it has one. Only the PDU: the community and the v3 keys live in the
 * message around it and never appear here.
 */
final class SnmpRawText {

    private SnmpRawText() {}

    /** {@code GET 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.3.0}, or {@code GETBULK(max 20) 1.3.6.1.2.1.2.2.1.10}. */
    static String request(PDU request) {
        StringBuilder text = new StringBuilder(PDU.getTypeString(request.getType()));
        if (request.getType() == PDU.GETBULK) {
            text.append("(max ").append(request.getMaxRepetitions()).append(')');
        }
        for (VariableBinding binding : request.getVariableBindings()) {
            text.append(' ').append(binding.getOid());
        }
        return text.toString();
    }

    /** One line per binding; an error status first when the agent answered one. */
    static String response(PDU response) {
        StringBuilder text = new StringBuilder();
        if (response.getErrorStatus() != PDU.noError) {
            text.append("error-status: ")
                    .append(response.getErrorStatusText())
                    .append(" (")
                    .append(response.getErrorStatus())
                    .append(") at index ")
                    .append(response.getErrorIndex())
                    .append('\n');
        }
        for (VariableBinding binding : response.getVariableBindings()) {
            text.append(binding.getOid())
                    .append(" = ")
                    .append(binding.getVariable().getSyntaxString())
                    .append(": ")
                    .append(binding.getVariable())
                    .append('\n');
        }
        return text.toString();
    }
}
