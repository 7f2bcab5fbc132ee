package io.headroom.simulator.site;

import io.headroom.simulator.miner.MinerSpec;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What a simulated site is made of.
 *
 * @param minerCount  number of miners (1 to 10 000)
 * @param seed        seed of the whole site; each miner derives its own from it and its index
 * @param minerSpec   the model every miner runs
 * @param inletTempC  air inlet temperature of every miner at start, °C
 * @param bindAddress address the listeners bind (loopback in tests and the demo)
 * @param basePort    0: every miner gets a free port; otherwise miner {@code i} listens on {@code basePort + i}
 */
public record SiteSpec(
        int minerCount, long seed, MinerSpec minerSpec, double inletTempC, InetAddress bindAddress, int basePort) {

    public SiteSpec {
        if (minerCount < 1 || minerCount > 10_000) {
            throw new IllegalArgumentException("minerCount: must be in [1, 10000], got " + minerCount);
        }
        Objects.requireNonNull(minerSpec, "minerSpec");
        if (!Double.isFinite(inletTempC) || inletTempC < -40 || inletTempC > 60) {
            throw new IllegalArgumentException("inletTempC: must be in [-40, 60], got " + inletTempC);
        }
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (basePort < 0 || (basePort > 0 && basePort + minerCount - 1 > 65_535)) {
            throw new IllegalArgumentException(
                    "basePort: must be 0 or leave room for " + minerCount + " ports below 65536, got " + basePort);
        }
    }

    /** {@code count} S19 XP miners on loopback, free ports, 25 °C inlet. */
    public static SiteSpec of(int count, long seed) {
        return new SiteSpec(count, seed, MinerSpec.S19_XP, 25.0, InetAddress.getLoopbackAddress(), 0);
    }

    public SiteSpec withMinerSpec(MinerSpec spec) {
        return new SiteSpec(minerCount, seed, spec, inletTempC, bindAddress, basePort);
    }

    public SiteSpec withInletTempC(double celsius) {
        return new SiteSpec(minerCount, seed, minerSpec, celsius, bindAddress, basePort);
    }

    public SiteSpec withBasePort(int port) {
        return new SiteSpec(minerCount, seed, minerSpec, inletTempC, bindAddress, port);
    }

    /** The seed of miner {@code index}: distinct per index, repeatable per site seed. */
    long minerSeed(int index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
