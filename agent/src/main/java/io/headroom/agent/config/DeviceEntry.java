package io.headroom.agent.config;

import io.headroom.config.ConfigNode;
import io.headroom.config.Doc;
import io.headroom.config.OtherKeys;
import io.headroom.config.Range;
import io.headroom.config.SecretRef;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One item of {@code devices:} as written: the keys common to every driver, and the one driver block
 * ({@code cgminer:}, {@code snmp:} …) that its driver's factory binds. {@link AgentConfigLoader} turns
 * it into a {@link DeviceConfig}.
 *
 * @param id site-unique device id
 * @param profile firmware profile id ({@code luxor/luxos})
 * @param pollInterval overrides {@code defaults.poll-interval}
 * @param timeout overrides {@code defaults.timeout}
 * @param credentials where the device's own login is kept, for drivers that log in
 * @param blocks every other key: exactly one, named after the profile's driver
 */
@Doc("One device: the common keys, and one block named after its driver (cgminer: …).")
public record DeviceEntry(
        @Doc("Site-unique device id, [a-z0-9_-].") String id,

        @Doc("Firmware profile id, e.g. luxor/luxos, or auto: the driver identifies the firmware.")
        String profile,

        @Doc("Overrides defaults.poll-interval.") @Range(min = "100ms", max = "1h")
        Optional<Duration> pollInterval,

        @Doc("Overrides defaults.timeout.") @Range(min = "10ms", max = "10m")
        Optional<Duration> timeout,

        @Doc("Where the device's own login is kept: {file: path} or {credential: name}.")
        Optional<SecretRef> credentials,

        @OtherKeys Map<String, ConfigNode> blocks) {}
