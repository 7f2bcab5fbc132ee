package io.headroom.simulator.site;

import io.headroom.simulator.miner.MinerModel;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A simulated miner of another firmware (Antminer stock, Whatsminer, Braiins OS, Avalon) on a PDU
 * outlet: its physical model draws what the outlet measures and the site's ticker advances it. Cutting
 * its supply stops its model (no power, no hashing); unlike a LuxOS miner of {@link SimulatedSite},
 * its API is not made to go dark, because those simulators serve their own listeners.
 */
public final class MinerLoad implements OutletLoad {

    private final MinerModel model;

    public MinerLoad(MinerModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public double powerWatts() {
        return model.powerWatts();
    }

    @Override
    public double energyKwh() {
        return model.snapshot().energyKwh();
    }

    @Override
    public void cutPower(Instant now) {
        model.advanceTo(now);
        model.cutPower();
    }

    @Override
    public void restorePower(Instant now, Duration bootDelay) {
        if (model.powered()) {
            return;
        }
        model.advanceTo(now);
        model.restorePower(bootDelay);
    }

    @Override
    public void advanceTo(Instant now) {
        model.advanceTo(now);
    }
}
