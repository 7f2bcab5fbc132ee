package io.headroom.simulator.miner;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The names a miner reports about itself ({@code config}: {@code Hostname}, {@code MACAddr},
 * {@code SerialNumber}). Generated deterministically from a seed and an index so runs are repeatable.
 *
 * @param hostname     host name
 * @param macAddress   MAC address, lower-case colon form
 * @param serialNumber serial number
 */
public record MinerIdentity(String hostname, String macAddress, String serialNumber) {

    public MinerIdentity {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(macAddress, "macAddress");
        Objects.requireNonNull(serialNumber, "serialNumber");
        if (!macAddress.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new IllegalArgumentException("macAddress: must look like 02:ab:cd:ef:01:23, got " + macAddress);
        }
    }

    /** A repeatable identity for miner {@code index} of a site seeded with {@code seed}. */
    public static MinerIdentity generate(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index: must not be negative, got " + index);
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + index);
        // 0x02 in the first octet: a locally administered unicast address, never a real vendor's.
        String mac = String.format(
                Locale.ROOT,
                "02:%02x:%02x:%02x:%02x:%02x",
                random.nextInt(256),
                random.nextInt(256),
                (index >> 16) & 0xff,
                (index >> 8) & 0xff,
                index & 0xff);
        StringBuilder serial = new StringBuilder("SIMXP");
        String alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        for (int i = 0; i < 12; i++) {
            serial.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return new MinerIdentity(String.format(Locale.ROOT, "sim-s19xp-%04d", index), mac, serial.toString());
    }

    /** MAC without separators, as Antminer {@code stats.miner_id} style ids use it. */
    public String macHex() {
        return macAddress.replace(":", "");
    }
}
