package io.headroom.simulator.site;

import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One simulated LuxOS miner of a {@link SimulatedSite}: its physical model, the names it reports, its RPC
 * listener and its fault switches.
 */
public final class SimulatedMiner {
    private final int index;
    private final MinerIdentity identity;
    private final MinerModel model;
    private final RpcListener listener;

    SimulatedMiner(int index, MinerIdentity identity, MinerModel model, RpcListener listener) {
        this.index = index;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.model = Objects.requireNonNull(model, "model");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** 0-based position in the site. */
    public int index() {
        return index;
    }

    public MinerIdentity identity() {
        return identity;
    }

    /** The physical model (for setting the power target or inlet temperature, or sleeping it directly). */
    public MinerModel model() {
        return model;
    }

    /** Where the CGMiner/LuxOS API listens (127.0.0.1 and the bound port). */
    public InetSocketAddress address() {
        return listener.address();
    }

    public int port() {
        return listener.port();
    }

    /** Fault switches of this miner's API, settable at any time. */
    public Faults faults() {
        return listener.faults();
    }

    /**
     * The model's state as of its latest advance (the last site tick or API request); no side effects.
     * Call {@link SimulatedSite#tick()} first to see the state at the clock's current time.
     */
    public MinerSnapshot snapshot() {
        return model.snapshot();
    }

    @Override
    public String toString() {
        return "SimulatedMiner[" + index + " " + identity.hostname() + " @" + address() + "]";
    }
}
