package io.headroom.agent.driver.modbus;

/**
 * {@code host:port}, {@code host} (port 502, Modbus TCP's) or {@code [v6-address]:port}.
 *
 * @param host name or address
 * @param port TCP port
 */
public record HostPort(String host, int port) {

    /** The Modbus TCP port (IANA "mbap"). */
    public static final int MODBUS_PORT = 502;

    public HostPort {
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port (1-65535)");
        }
    }

    /** @throws IllegalArgumentException starting with {@code key: } */
    public static HostPort parse(String written, String key) {
        String text = written.trim();
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(key + ": '" + written + "' has no closing ] for its IPv6 address");
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(key + ": '" + written + "' must be [address]:port");
                }
                port = text.substring(close + 2);
            }
        } else if (text.indexOf(':') >= 0) {
            if (text.indexOf(':') != text.lastIndexOf(':')) {
                throw new IllegalArgumentException(
                        key + ": '" + written + "': write an IPv6 address as [address]:port");
            }
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException(key + ": '" + written + "' names no host");
        }
        int number = MODBUS_PORT;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        key + ": port '" + port + "' of '" + written + "' is not a number", e);
            }
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException(key + ": port " + number + " is not a TCP port (1-65535)");
            }
        }
        return new HostPort(host, number);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
