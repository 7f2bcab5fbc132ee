package io.headroom.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The addresses {@code headroom agent scan} visits: IPv4 CIDR blocks ({@code 10.0.4.0/24}), ranges of
 * a last octet ({@code 10.0.4.10-40}) and single hosts, in the order given, each once. Bounded before
 * anything is sent: a typo such as {@code /8} must not start a scan of 16 million addresses.
 */
final class ScanTargets {

    /** The smallest prefix accepted at all; {@code --max-hosts} bounds the total below it. */
    static final int MIN_PREFIX = 16;

    private ScanTargets() {}

    /**
     * Expands the targets.
     *
     * @throws IllegalArgumentException naming the target that is not an address, a block or a range, or
     *     when together they are more than {@code maxHosts} addresses
     */
    static List<InetAddress> expand(List<String> targets, int maxHosts) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String target : targets) {
            String t = target.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("an empty target");
            }
            if (t.contains("/")) {
                block(t, out, maxHosts);
            } else if (t.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}-\\d{1,3}")) {
                range(t, out, maxHosts);
            } else {
                add(out, host(t), maxHosts);
            }
        }
        return new ArrayList<>(out);
    }

    private static void block(String target, Set<InetAddress> out, int maxHosts) {
        String[] parts = target.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(target + ": not an IPv4 block (a.b.c.d/16 … /32)");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(target + ": '" + parts[1] + "' is not a prefix length");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException(target + ": not an IPv4 block (a.b.c.d/16 … /32)");
        }
        if (prefix < MIN_PREFIX) {
            throw new IllegalArgumentException(target + ": /" + prefix + " is " + (1L << (32 - prefix))
                    + " addresses; scan at most a /" + MIN_PREFIX + " at a time");
        }
        long base = toLong(ipv4(parts[0], target)) & mask(prefix);
        long size = 1L << (32 - prefix);
        // A /31 and a /32 have no network or broadcast address (RFC 3021); larger blocks skip both.
        long first = prefix >= 31 ? base : base + 1;
        long last = prefix >= 31 ? base + size - 1 : base + size - 2;
        if (out.size() + (last - first + 1) > maxHosts) {
            throw tooMany(target, maxHosts);
        }
        for (long a = first; a <= last; a++) {
            out.add(fromLong(a));
        }
    }

    private static void range(String target, Set<InetAddress> out, int maxHosts) {
        int dash = target.lastIndexOf('-');
        Inet4Address from = ipv4(target.substring(0, dash), target);
        int lastOctet = Integer.parseInt(target.substring(dash + 1));
        long start = toLong(from);
        int firstOctet = (int) (start & 0xff);
        if (lastOctet > 255 || lastOctet < firstOctet) {
            throw new IllegalArgumentException(
                    target + ": the range must end at or after " + firstOctet + " and at most at 255");
        }
        for (long a = start; a <= (start & ~0xffL) + lastOctet; a++) {
            add(out, fromLong(a), maxHosts);
        }
    }

    private static void add(Set<InetAddress> out, InetAddress address, int maxHosts) {
        out.add(address);
        if (out.size() > maxHosts) {
            throw tooMany(address.getHostAddress(), maxHosts);
        }
    }

    private static IllegalArgumentException tooMany(String target, int maxHosts) {
        return new IllegalArgumentException("the targets reach past " + target + " to more than " + maxHosts
                + " addresses; raise --max-hosts" + " if that is meant");
    }

    private static InetAddress host(String target) {
        try {
            return InetAddress.getByName(target);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(target + ": not an address, a block (a.b.c.d/24), a range"
                    + " (a.b.c.10-40) or a host name that resolves");
        }
    }

    private static Inet4Address ipv4(String text, String target) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException(target + ": '" + text + "' is not an IPv4 address");
        }
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException(target + ": '" + text + "' is not an IPv4 address");
            }
        }
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(target + ": '" + text + "' is not an IPv4 address");
        }
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    private static long toLong(InetAddress address) {
        long value = 0;
        for (byte b : address.getAddress()) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }

    private static InetAddress fromLong(long value) {
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** A device id from an address: {@code miner-10-0-4-17}. */
    static String deviceId(String kind, InetAddress address) {
        return kind + "-" + address.getHostAddress().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
