package io.headroom.simulator.site;

import java.time.Duration;
import java.time.Instant;

/**
 * Something a PDU outlet of a {@link SitePower} feeds: a simulated miner of any firmware, a GPU server.
 * Its draw is as of its latest {@link #advanceTo}; the site's ticker advances every load it feeds.
 */
public interface OutletLoad {

    /** Input power as of the latest advance, W; 0 while its supply is cut. */
    double powerWatts();

    /** Energy drawn since it started, kWh. */
    double energyKwh();

    /** Its supply is cut at {@code now}: it draws nothing and its APIs go dark until it is back and booted. */
    void cutPower(Instant now);

    /** Its supply is back at {@code now}: it boots for {@code bootDelay}, then answers and runs. */
    void restorePower(Instant now, Duration bootDelay);

    /** Advances its physical model to {@code now}. */
    void advanceTo(Instant now);
}
