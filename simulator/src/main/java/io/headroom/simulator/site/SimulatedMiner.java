package io.headroom.simulator.site;

import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One simulated LuxOS miner of a {@link SimulatedSite}: its physical model, the names it reports, its RPC
 * listener and its fault switches.
 */
public final class SimulatedMiner implements OutletLoad {
    private final int index;
    private final MinerIdentity identity;
    private final MinerModel model;
    private final RpcListener listener;
    /** Guarded by this: when the API answers again after a power-up; null while up or unpowered. */
    private Instant apiUpAt;

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

    /** False while its supply is cut; true again from {@link #restorePower} on, booting included. */
    public boolean powered() {
        return model.powered();
    }

    /**
     * Its supply is cut at {@code now} (its outlet switched off): it draws nothing from now on, and its API refuses
     * connections (open ones are dropped) until the supply is back and it has booted.
     */
    @Override
    public synchronized void cutPower(Instant now) {
        model.advanceTo(now);
        model.cutPower();
        apiUpAt = null;
        listener.setDark(true);
    }

    /**
     * Its supply is back at {@code now}: it boots for {@code bootDelay} (API dark, sleep power), then its
     * API answers and it mines. The API comes back at the first {@link #advanceTo} at or after the boot
     * delay. Does nothing while powered.
     */
    @Override
    public synchronized void restorePower(Instant now, Duration bootDelay) {
        if (model.powered()) {
            return;
        }
        model.advanceTo(now);
        model.restorePower(bootDelay);
        apiUpAt = model.now().plus(bootDelay);
        advanceTo(now);
    }

    /** Advances the model to {@code now}; lets the API answer once a power-up boot is over. */
    @Override
    public synchronized void advanceTo(Instant now) {
        model.advanceTo(now);
        if (apiUpAt != null && !now.isBefore(apiUpAt)) {
            apiUpAt = null;
            listener.setDark(false);
        }
    }

    /**
     * The model's state as of its latest advance (the last site tick or API request); no side effects.
     * Call {@link SimulatedSite#tick()} first to see the state at the clock's current time.
     */
    public MinerSnapshot snapshot() {
        return model.snapshot();
    }

    @Override
    public double powerWatts() {
        return model.snapshot().powerWatts();
    }

    @Override
    public double energyKwh() {
        return model.snapshot().energyKwh();
    }

    @Override
    public String toString() {
        return "SimulatedMiner[" + index + " " + identity.hostname() + " @" + address() + "]";
    }
}
