package io.headroom.agent.driver;

import io.headroom.agent.driver.antminer.AntminerDriverFactory;
import io.headroom.agent.driver.braiins.BraiinsDriverFactory;
import io.headroom.agent.driver.cgminer.CgminerDriverFactory;
import io.headroom.agent.driver.dcgm.DcgmDriverFactory;
import io.headroom.agent.driver.modbus.ModbusDriverFactory;
import io.headroom.agent.driver.nvsmi.NvsmiDriverFactory;
import io.headroom.agent.driver.redfish.RedfishDriverFactory;
import io.headroom.agent.driver.snmp.SnmpDriverFactory;
import io.headroom.agent.driver.vnish.VnishDriverFactory;
import io.headroom.agent.driver.whatsminer.WhatsminerDriverFactory;
import io.headroom.config.ConfigException;
import io.headroom.profiles.ProfileCatalog;

/**
 * The drivers every agent has and the built-in profiles they compile. Adding a driver kind is one
 * line here (plus its package, profile and cases).
 */
public final class BuiltInDrivers {

    private static final DriverRegistry REGISTRY = DriverRegistry.of(
            new CgminerDriverFactory(),
            new SnmpDriverFactory(),
            new ModbusDriverFactory(),
            new RedfishDriverFactory(),
            new DcgmDriverFactory(),
            new NvsmiDriverFactory(),
            new WhatsminerDriverFactory(),
            new AntminerDriverFactory(),
            new BraiinsDriverFactory(),
            new VnishDriverFactory());

    private BuiltInDrivers() {}

    /** Every built-in driver factory. */
    public static DriverRegistry registry() {
        return REGISTRY;
    }

    /**
     * The built-in profiles, compiled by the built-in drivers.
     *
     * @throws IllegalStateException listing every problem: a broken built-in profile is a build error
     */
    public static DriverRegistry.CompiledProfiles profiles() {
        try {
            return REGISTRY.compile(ProfileCatalog.loadBuiltIn());
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in firmware profiles are broken:\n" + e.getMessage(), e);
        }
    }
}
