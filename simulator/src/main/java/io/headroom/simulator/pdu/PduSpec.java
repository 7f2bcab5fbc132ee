package io.headroom.simulator.pdu;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How a {@link SimulatedPdu} is reached.
 *
 * @param bind           address and UDP port (0 for a free one)
 * @param readCommunity  SNMP community that may read
 * @param writeCommunity SNMP community that may also switch outlets
 * @param ratedAmps      the PDU's input rating, A: rPDU2DeviceStatusLoadState is near-overload above 80 %
 *                       of it and overload above it
 */
public record PduSpec(InetSocketAddress bind, String readCommunity, String writeCommunity, double ratedAmps) {
    public PduSpec {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(readCommunity, "readCommunity");
        Objects.requireNonNull(writeCommunity, "writeCommunity");
        if (readCommunity.isEmpty() || writeCommunity.isEmpty()) {
            throw new IllegalArgumentException("communities must not be empty");
        }
        if (!(ratedAmps > 0)) {
            throw new IllegalArgumentException("ratedAmps: must be positive, got " + ratedAmps);
        }
    }

    /** Loopback, a free port, communities {@code public} / {@code private}, rated {@code ratedAmps}. */
    public static PduSpec loopback(double ratedAmps) {
        return new PduSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "public", "private", ratedAmps);
    }
}
