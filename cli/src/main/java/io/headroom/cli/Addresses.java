package io.headroom.cli;

import java.net.InetSocketAddress;

/** How bound addresses are shown to an operator: as URLs they can paste. */
final class Addresses {
    private Addresses() {}

    static String http(InetSocketAddress address) {
        return "http://" + host(address) + ':' + address.getPort() + '/';
    }

    static String mqtt(InetSocketAddress address) {
        return "mqtt://" + host(address) + ':' + address.getPort();
    }

    private static String host(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (address.getAddress().isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? '[' + host + ']' : host;
    }
}
