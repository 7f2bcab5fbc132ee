package io.headroom.simulator.site;

import io.headroom.simulator.cgminer.CgminerRpcServer;
import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.LuxosRpc;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site of simulated LuxOS miners, each answering the CGMiner-family API on its own port. Listeners share
 * a few selector threads (one per 500 miners, at most four); the models are advanced by {@link #tick()} (stepped time) or by one shared ticker
 * thread ({@link #startTicking(Duration)}), and also just before each API request is answered, so replies
 * always reflect the clock's current time. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(40, 42L), Clock.systemUTC())) {
 *     site.startTicking(Duration.ofMillis(250));
 *     List<InetSocketAddress> miners = site.addresses();
 * }
 * }</pre>
 */
public final class SimulatedSite implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SimulatedSite.class);
    private static final int RPC_THREADS_MAX = 4;
    private static final int MINERS_PER_RPC_THREAD = 500;

    private final SiteSpec spec;
    private final Clock clock;
    private final List<CgminerRpcServer> servers;
    private final List<SimulatedMiner> miners;
    /** Loads other than the LuxOS miners that hang on this site's outlets ({@link SitePower#attach}). */
    private final List<OutletLoad> tracked = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicLong tickFailures = new AtomicLong();
    private ScheduledExecutorService ticker;
    private boolean closed;

    private SimulatedSite(SiteSpec spec, Clock clock, List<CgminerRpcServer> servers, List<SimulatedMiner> miners) {
        this.spec = spec;
        this.clock = clock;
        this.servers = List.copyOf(servers);
        this.miners = List.copyOf(miners);
    }

    /**
     * Starts {@code spec.minerCount()} miners, all in steady-state mining at the clock's time, each listening
     * before this returns.
     *
     * @throws IOException when a port cannot be bound (everything started so far is closed again)
     */
    public static SimulatedSite start(SiteSpec spec, Clock clock) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(clock, "clock");
        // One selector thread serves ~1000 small requests/s on a busy 2-core machine; spread thousands of
        // miners over a few threads (never one per miner).
        int threads = Math.min(RPC_THREADS_MAX, Math.max(1, spec.minerCount() / MINERS_PER_RPC_THREAD));
        List<CgminerRpcServer> servers = new ArrayList<>(threads);
        List<SimulatedMiner> miners = new ArrayList<>(spec.minerCount());
        Instant start = clock.instant();
        try {
            for (int t = 0; t < threads; t++) {
                servers.add(CgminerRpcServer.start("sim-cgminer-rpc-" + t));
            }
            for (int i = 0; i < spec.minerCount(); i++) {
                CgminerRpcServer server = servers.get(i % threads);
                long seed = spec.minerSeed(i);
                MinerIdentity identity = MinerIdentity.generate(spec.seed(), i);
                MinerModel model = new MinerModel(spec.minerSpec(), seed, spec.inletTempC(), start);
                LuxosRpc rpc = new LuxosRpc(model, identity, clock, seed);
                int port = spec.basePort() == 0 ? 0 : spec.basePort() + i;
                RpcListener listener =
                        server.listen(new InetSocketAddress(spec.bindAddress(), port), rpc, new Faults());
                miners.add(new SimulatedMiner(i, identity, model, listener));
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(CgminerRpcServer::close);
            throw e;
        }
        logger.info(
                "simulated site started: {} miners ({})",
                miners.size(),
                spec.minerSpec().model());
        return new SimulatedSite(spec, clock, servers, miners);
    }

    /** The clock every model runs on. */
    public Clock clock() {
        return clock;
    }

    public SiteSpec spec() {
        return spec;
    }

    public int size() {
        return miners.size();
    }

    public List<SimulatedMiner> miners() {
        return miners;
    }

    public SimulatedMiner miner(int index) {
        return miners.get(index);
    }

    /** The API address of every miner, in index order. */
    public List<InetSocketAddress> addresses() {
        return miners.stream().map(SimulatedMiner::address).toList();
    }

    /** Advances every model to the clock's current time. */
    public void tick() {
        Instant now = clock.instant();
        for (SimulatedMiner miner : miners) {
            miner.advanceTo(now);
        }
        for (OutletLoad load : tracked) {
            load.advanceTo(now);
        }
    }

    /** Advances {@code load} with the miners at every tick from now on. */
    void track(OutletLoad load) {
        tracked.add(Objects.requireNonNull(load, "load"));
    }

    /**
     * Ticks every {@code period} on one shared daemon thread until {@link #close()}. Calling it again replaces
     * the period.
     */
    public synchronized void startTicking(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period: must be positive, got " + period);
        }
        if (closed) {
            throw new IllegalStateException("site is closed");
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-site-ticker");
            t.setDaemon(true);
            return t;
        });
        long nanos = period.toNanos();
        ticker.scheduleAtFixedRate(this::safeTick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Sets every miner's inlet temperature from now on. */
    public void setInletTempC(double celsius) {
        tick();
        for (SimulatedMiner miner : miners) {
            miner.model().setInletTempC(celsius);
        }
    }

    /** Sum of the input power of the miners and every attached load as of their latest advance, W. */
    public double totalPowerWatts() {
        return miners.stream().mapToDouble(m -> m.snapshot().powerWatts()).sum()
                + tracked.stream().mapToDouble(OutletLoad::powerWatts).sum();
    }

    /** Ticks that failed (logged); a healthy site keeps this at zero. */
    public long tickFailures() {
        return tickFailures.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        // Closing a server closes all its listeners and connections at once, in one pass of its thread.
        servers.forEach(CgminerRpcServer::close);
        logger.info("simulated site closed: {} miners", miners.size());
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A scheduled task that throws is silently cancelled; keep ticking and make the failure visible.
            tickFailures.incrementAndGet();
            logger.warn("simulated site tick failed", e);
        }
    }
}
