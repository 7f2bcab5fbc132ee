package io.headroom.simulator.whatsminer;

import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A simulated MicroBT Whatsminer: API v2 and API v3 on two loopback ports (port 0, so each test gets free
 * ones), both answering from one {@link MinerModel} advanced to the clock's time before every request.
 *
 * <p>What the miner does (reference/DEVICES.md §4.3): {@code power_off} / {@code set.miner.service stop}
 * sleep the model, {@code power_on} / {@code start} wake it; {@code set.miner.power_limit} sets the power
 * target at once; {@code set_power_pct} sets it to a percentage of the nominal limit; {@code
 * adjust_power_limit} sets the limit and then <b>reboots</b>: power drops to nothing, the miner boots for
 * {@link #rebootTime()} at its idle draw, then hashes again at the new limit. {@code reboot} does the same
 * without a new limit. The APIs keep answering during a reboot (a simplification: a real control board is
 * briefly silent). The LED is {@code auto} or {@code manual}.
 *
 * <p>Thread-safe: state changes are synchronized on this object.
 */
public final class SimulatedWhatsminer implements AutoCloseable {

    /** Firmware strings this simulator reports (the asic-rs fixtures'). */
    static final String V2_FIRMWARE = "20230803.11.REL";

    static final String V3_FIRMWARE = "20251209.16.Rel2";

    /** Idle time after which the firmware closes a connection. */
    public static final Duration FIRMWARE_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** A Whatsminer M30S++-like unit: 3300 W nominal limit, 112 TH/s, 3 boards, 2 fans (in, out). */
    public static final MinerSpec M30S_PLUS_PLUS = new MinerSpec(
            "Whatsminer M30S++",
            3300,
            112,
            30,
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(20),
            Duration.ofSeconds(60),
            43,
            3,
            111,
            2,
            0.005,
            0.01);

    private final MinerModel model;
    private final MinerIdentity identity;
    private final Clock clock;
    private final WhatsminerFaults faults = new WhatsminerFaults();
    private final WhatsminerV2Handler v2Handler;
    private final WhatsminerV3Handler v3Handler;
    private final FrameServer v2;
    private final FrameServer v3;
    private final double nominalWatts;
    private Duration rebootTime = Duration.ofSeconds(60);
    private double limitWatts;
    private String led = "auto";
    private int reboots;
    private List<String[]> errorCodes = List.of();

    /**
     * Starts both APIs.
     *
     * @param spec the physical miner; its nameplate is the nominal power limit
     * @param seed seed of the model, salts and identity
     * @param clock the model's time (a {@code ManualClock} in tests)
     * @param v2Password the v2 {@code admin} password; {@code v3Password} the v3 {@code super} account's
     */
    public SimulatedWhatsminer(MinerSpec spec, long seed, Clock clock, String v2Password, String v3Password)
            throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.model = new MinerModel(spec, seed, 25, clock.instant());
        this.identity = MinerIdentity.generate(seed, 0);
        this.nominalWatts = spec.nameplateWatts();
        this.limitWatts = nominalWatts;
        this.v2Handler = new WhatsminerV2Handler(this, v2Password, seed);
        this.v3Handler = new WhatsminerV3Handler(this, v3Password, seed);
        FrameServer a = new FrameServer(
                "whatsminer-v2", FrameServer.Framing.V2, v2Handler::handle, faults, FIRMWARE_IDLE_TIMEOUT);
        try {
            this.v3 = new FrameServer(
                    "whatsminer-v3",
                    FrameServer.Framing.V3,
                    (r, c) -> v3Handler.handle(r),
                    faults,
                    FIRMWARE_IDLE_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
        this.v2 = a;
    }

    public int v2Port() {
        return v2.port();
    }

    public int v3Port() {
        return v3.port();
    }

    public MinerModel model() {
        return model;
    }

    public WhatsminerFaults faults() {
        return faults;
    }

    public MinerIdentity identity() {
        return identity;
    }

    Clock clock() {
        return clock;
    }

    /** The API v2 side's switches: write API on/off, token limit. */
    public WhatsminerV2Handler v2() {
        return v2Handler;
    }

    /** The API v3 side's salt and switches. */
    public WhatsminerV3Handler v3() {
        return v3Handler;
    }

    /** Closes connections that send nothing complete within {@code timeout} (10 s like the firmware by default). */
    public void setIdleTimeout(Duration timeout) {
        v2.setIdleTimeout(timeout);
        v3.setIdleTimeout(timeout);
    }

    public long requestsServed() {
        return v2.requestsServed() + v3.requestsServed();
    }

    public synchronized Duration rebootTime() {
        return rebootTime;
    }

    /** How long a reboot keeps the miner from hashing. */
    public synchronized void setRebootTime(Duration time) {
        this.rebootTime = Objects.requireNonNull(time, "time");
    }

    /** Reboots so far (adjust_power_limit, reboot, set.system.reboot). */
    public synchronized int reboots() {
        return reboots;
    }

    public double nominalWatts() {
        return nominalWatts;
    }

    /** The power limit the miner reports ({@code Power Limit}, {@code power-limit}), W. */
    public synchronized double limitWatts() {
        return limitWatts;
    }

    public synchronized String led() {
        return led;
    }

    /** Active error codes, each {code, time, reason}. */
    public synchronized void setErrorCodes(List<String[]> codes) {
        this.errorCodes = List.copyOf(codes);
    }

    synchronized List<String[]> errorCodes() {
        return errorCodes;
    }

    /** Advances the model to the clock's time; called before every request. */
    void advance() {
        model.advanceTo(clock.instant());
    }

    synchronized void sleep() {
        model.sleep();
    }

    synchronized void wake() {
        model.wakeUp();
    }

    synchronized boolean asleep() {
        return model.mode() == Mode.SLEEP;
    }

    /** Sets the limit the miner mines at, without a reboot (v3, set_power_pct). */
    synchronized void setLimit(double watts) {
        limitWatts = watts;
        model.setPowerTargetWatts(watts);
    }

    /** adjust_power_limit: a new limit that applies through a reboot. */
    synchronized void adjustLimitAndReboot(double watts) {
        setLimit(watts);
        reboot();
    }

    synchronized void reboot() {
        reboots++;
        if (model.powered()) {
            model.cutPower();
        }
        model.restorePower(rebootTime);
    }

    synchronized void setLed(String state) {
        led = state;
    }

    /** Whether {@code watts} is a limit the miner accepts: above its idle draw, not above nominal. */
    boolean acceptableLimit(double watts) {
        return watts > model.spec().sleepWatts() && watts <= nominalWatts;
    }

    @Override
    public void close() {
        v2.close();
        v3.close();
    }
}
