package io.headroom.simulator.site;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who feeds whom in a {@link SimulatedSite}: feeds supply racks, each rack's PDU outlets supply one miner
 * each, or another {@link OutletLoad} attached to it (a GPU server, a miner of another firmware), or nothing. This is the physical model the protocol simulators (PDU over SNMP, meters over
 * Modbus, a UPS) read and switch; they hold no state of their own about power.
 *
 * <p>Switching an outlet off really cuts its miner ({@link SimulatedMiner#cutPower}: draw 0, API dark);
 * on again restores it after {@link #bootDelay()}. Readings are as of the miners' latest advance (the
 * site's {@link SimulatedSite#tick()}), at the site's clock. Thread-safe.
 */
public final class SitePower {
    /** Power factor of a miner's PSU under load (APW12-class supplies are specified above 0.99). */
    public static final double POWER_FACTOR = 0.99;
    /** Nominal phase-to-neutral voltage of the site, V. */
    public static final double NOMINAL_VOLTS = 230.0;

    private final SimulatedSite site;
    private final Map<String, RackSpec> racks = new LinkedHashMap<>();
    private final Map<String, FeedSpec> feeds = new LinkedHashMap<>();
    private final Map<String, boolean[]> outletOn = new LinkedHashMap<>();
    /** Loads other than the site's LuxOS miners, by rack, on outlets past the rack's miners. */
    private final Map<String, Map<Integer, OutletLoad>> attached = new java.util.concurrent.ConcurrentHashMap<>();

    private final Duration bootDelay;

    private SitePower(SimulatedSite site, List<RackSpec> racks, List<FeedSpec> feeds, Duration bootDelay) {
        this.site = site;
        this.bootDelay = bootDelay;
        for (RackSpec rack : racks) {
            this.racks.put(rack.id(), rack);
            boolean[] on = new boolean[rack.outlets()];
            java.util.Arrays.fill(on, true);
            outletOn.put(rack.id(), on);
        }
        for (FeedSpec feed : feeds) {
            this.feeds.put(feed.id(), feed);
        }
    }

    /**
     * The power layout of a site, every outlet on.
     *
     * @param bootDelay how long a miner boots after its outlet comes on before its API answers and it mines
     * @throws IllegalArgumentException when a miner index is out of range or on two outlets, a rack or
     *     feed id repeats, or a feed names an unknown rack
     */
    public static SitePower of(SimulatedSite site, List<RackSpec> racks, List<FeedSpec> feeds, Duration bootDelay) {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(bootDelay, "bootDelay");
        if (bootDelay.isNegative()) {
            throw new IllegalArgumentException("bootDelay: must not be negative, got " + bootDelay);
        }
        Set<String> rackIds = new HashSet<>();
        Set<Integer> fed = new HashSet<>();
        for (RackSpec rack : racks) {
            if (!rackIds.add(rack.id())) {
                throw new IllegalArgumentException("racks: id " + rack.id() + " appears twice");
            }
            for (int miner : rack.miners()) {
                if (miner < 0 || miner >= site.size()) {
                    throw new IllegalArgumentException("rack " + rack.id() + ": miner " + miner
                            + " is not in the site (0.." + (site.size() - 1) + ")");
                }
                if (!fed.add(miner)) {
                    throw new IllegalArgumentException(
                            "rack " + rack.id() + ": miner " + miner + " is already on another outlet");
                }
            }
        }
        Set<String> feedIds = new HashSet<>();
        for (FeedSpec feed : feeds) {
            if (!feedIds.add(feed.id())) {
                throw new IllegalArgumentException("feeds: id " + feed.id() + " appears twice");
            }
            for (String rack : feed.racks()) {
                if (!rackIds.contains(rack)) {
                    throw new IllegalArgumentException("feed " + feed.id() + ": no rack " + rack);
                }
            }
        }
        return new SitePower(site, racks, feeds, bootDelay);
    }

    /**
     * Racks of {@code minersPerRack} consecutive miners (the last may have fewer), each on a PDU with
     * {@code outlets} outlets, and one feed per {@code racksPerFeed} consecutive racks.
     */
    public static SitePower uniform(
            SimulatedSite site, int minersPerRack, int outlets, int racksPerFeed, Duration bootDelay) {
        if (minersPerRack < 1 || racksPerFeed < 1) {
            throw new IllegalArgumentException("minersPerRack and racksPerFeed must be at least 1");
        }
        List<RackSpec> racks = new ArrayList<>();
        for (int from = 0; from < site.size(); from += minersPerRack) {
            List<Integer> miners = new ArrayList<>();
            for (int i = from; i < Math.min(site.size(), from + minersPerRack); i++) {
                miners.add(i);
            }
            racks.add(new RackSpec("rack-" + (racks.size() + 1), miners, outlets));
        }
        List<FeedSpec> feeds = new ArrayList<>();
        for (int r = 0; r < racks.size(); r += racksPerFeed) {
            List<String> ids = racks.subList(r, Math.min(racks.size(), r + racksPerFeed)).stream()
                    .map(RackSpec::id)
                    .toList();
            feeds.add(new FeedSpec("feed-" + (feeds.size() + 1), ids));
        }
        return of(site, racks, feeds, bootDelay);
    }

    public SimulatedSite site() {
        return site;
    }

    public List<RackSpec> racks() {
        return List.copyOf(racks.values());
    }

    public List<FeedSpec> feeds() {
        return List.copyOf(feeds.values());
    }

    public RackSpec rack(String id) {
        RackSpec rack = racks.get(id);
        if (rack == null) {
            throw new IllegalArgumentException("no rack " + id + "; racks: " + racks.keySet());
        }
        return rack;
    }

    public FeedSpec feed(String id) {
        FeedSpec feed = feeds.get(id);
        if (feed == null) {
            throw new IllegalArgumentException("no feed " + id + "; feeds: " + feeds.keySet());
        }
        return feed;
    }

    public Duration bootDelay() {
        return bootDelay;
    }

    /**
     * Hangs another load (a miner of another firmware, a GPU server) on an outlet past the rack's
     * miners; the site's ticker advances it from now on, and switching the outlet cuts and restores it.
     *
     * @throws IllegalArgumentException when the outlet feeds a miner or a load already, or does not exist
     */
    public synchronized void attach(String rackId, int outlet, OutletLoad load) {
        Objects.requireNonNull(load, "load");
        RackSpec rack = rack(rackId);
        checkOutlet(rack, outlet);
        if (outlet <= rack.miners().size()) {
            throw new IllegalArgumentException("rack " + rackId + ": outlet " + outlet + " feeds a miner already");
        }
        Map<Integer, OutletLoad> loads =
                attached.computeIfAbsent(rackId, r -> new java.util.concurrent.ConcurrentHashMap<>());
        if (loads.putIfAbsent(outlet, load) != null) {
            throw new IllegalArgumentException("rack " + rackId + ": outlet " + outlet + " feeds a load already");
        }
        site.track(load);
    }

    /** What an outlet (1-based) feeds: the site's miner, an attached load, or nothing. */
    public Optional<OutletLoad> load(String rackId, int outlet) {
        RackSpec rack = rack(rackId);
        checkOutlet(rack, outlet);
        if (outlet <= rack.miners().size()) {
            return Optional.of(site.miner(rack.miners().get(outlet - 1)));
        }
        Map<Integer, OutletLoad> loads = attached.get(rackId);
        return loads == null ? Optional.empty() : Optional.ofNullable(loads.get(outlet));
    }

    /** The miner on an outlet (1-based), if any. */
    public Optional<SimulatedMiner> fedBy(String rackId, int outlet) {
        RackSpec rack = rack(rackId);
        checkOutlet(rack, outlet);
        return outlet <= rack.miners().size()
                ? Optional.of(site.miner(rack.miners().get(outlet - 1)))
                : Optional.empty();
    }

    public synchronized boolean outletOn(String rackId, int outlet) {
        checkOutlet(rack(rackId), outlet);
        return outletOn.get(rackId)[outlet - 1];
    }

    /**
     * Switches an outlet (1-based) at the clock's time: off cuts its miner's supply at once; on restores
     * it, and the miner boots for {@link #bootDelay()}. Switching to the state it is in does nothing.
     */
    public synchronized void switchOutlet(String rackId, int outlet, boolean on) {
        checkOutlet(rack(rackId), outlet);
        boolean[] states = outletOn.get(rackId);
        if (states[outlet - 1] == on) {
            return;
        }
        states[outlet - 1] = on;
        Instant now = site.clock().instant();
        load(rackId, outlet).ifPresent(load -> {
            if (on) {
                load.restorePower(now, bootDelay);
            } else {
                load.cutPower(now);
            }
        });
    }

    /** Off, then on at once: the miner loses power and boots again. */
    public synchronized void rebootOutlet(String rackId, int outlet) {
        switchOutlet(rackId, outlet, false);
        switchOutlet(rackId, outlet, true);
    }

    /** What the load on an outlet draws, W; 0 for an empty or switched-off outlet. */
    public double outletWatts(String rackId, int outlet) {
        return load(rackId, outlet).map(OutletLoad::powerWatts).orElse(0.0);
    }

    /** RMS current through an outlet at the nominal voltage, A. */
    public double outletAmps(String rackId, int outlet) {
        return amps(outletWatts(rackId, outlet));
    }

    /** Energy delivered through an outlet since the site started, kWh. */
    public double outletEnergyKwh(String rackId, int outlet) {
        return load(rackId, outlet).map(OutletLoad::energyKwh).orElse(0.0);
    }

    public double rackWatts(String rackId) {
        RackSpec rack = rack(rackId);
        double sum = 0;
        for (int outlet = 1; outlet <= rack.outlets(); outlet++) {
            sum += outletWatts(rackId, outlet);
        }
        return sum;
    }

    public double rackEnergyKwh(String rackId) {
        RackSpec rack = rack(rackId);
        double sum = 0;
        for (int outlet = 1; outlet <= rack.outlets(); outlet++) {
            sum += outletEnergyKwh(rackId, outlet);
        }
        return sum;
    }

    public double feedWatts(String feedId) {
        return feed(feedId).racks().stream().mapToDouble(this::rackWatts).sum();
    }

    public double feedEnergyKwh(String feedId) {
        return feed(feedId).racks().stream().mapToDouble(this::rackEnergyKwh).sum();
    }

    /** RMS current of a single-phase load of {@code watts} at the nominal voltage and power factor, A. */
    public static double amps(double watts) {
        return watts / (NOMINAL_VOLTS * POWER_FACTOR);
    }

    private static void checkOutlet(RackSpec rack, int outlet) {
        if (outlet < 1 || outlet > rack.outlets()) {
            throw new IllegalArgumentException(
                    "rack " + rack.id() + ": no outlet " + outlet + " (1.." + rack.outlets() + ")");
        }
    }
}
