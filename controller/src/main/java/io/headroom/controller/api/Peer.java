package io.headroom.controller.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The client end of one connection, as the API judges it: the TCP peer (forwarding headers are
 * not trusted) and whether the connection is TLS.
 */
record Peer(InetSocketAddress address, boolean tls) {
    Peer {
        Objects.requireNonNull(address, "address");
    }

    InetAddress inetAddress() {
        InetAddress inet = address.getAddress();
        return inet != null ? inet : InetAddress.getLoopbackAddress();
    }

    /** Whether a password sent on this connection cannot be read on the way: TLS, or loopback. */
    boolean confidential() {
        return tls || inetAddress().isLoopbackAddress();
    }

    String describe() {
        return inetAddress().getHostAddress();
    }
}
