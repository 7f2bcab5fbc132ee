package io.headroom.cli;

import io.headroom.simulator.antminer.SimulatedAntminer;
import io.headroom.simulator.braiins.SimulatedBraiins;
import io.headroom.simulator.cgminer.AvalonRpc;
import io.headroom.simulator.cgminer.CgminerRpcServer;
import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.site.MinerLoad;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.whatsminer.SimulatedWhatsminer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's mixed fleet: beside the LuxOS racks, {@link #RACK} holds one miner of each other firmware
 * family Headroom drives — Antminer stock (web CGI, Digest auth), Whatsminer (API v2, the write
 * envelope), Braiins OS (REST, token) and Avalon (CGMiner RPC, {@code estats}) — each speaking its
 * real protocol on loopback with its own login, on an outlet of the rack's PDU, polled by the last
 * agent and shed or woken by the engine like any other {@code hashing} miner.
 */
final class DemoMixedRack implements AutoCloseable {

    /** The rack of the other families, on the last miner feed. */
    static final String RACK = "rack-mix";

    /** One entry per family, in outlet order. */
    enum Family {
        ANTMINER("s21-01", "antminer/stock-web", "Antminer S21 on stock firmware"),
        WHATSMINER("wm-01", "microbt/whatsminer-v2", "Whatsminer M30S++ (API v2)"),
        BRAIINS("bos-01", "braiins/braiins-os", "Antminer S19 XP on Braiins OS"),
        AVALON("avalon-01", "canaan/avalon-a15", "AvalonMiner 15-194");

        final String id;
        final String profile;
        final String description;

        Family(String id, String profile, String description) {
            this.id = id;
            this.profile = profile;
            this.description = description;
        }

        /** Its outlet on {@link #RACK}'s PDU. */
        int outlet() {
            return ordinal() + 1;
        }

        /** The file its web or write password is in, beside the agent's file. */
        String passwordFile() {
            return id + ".password";
        }
    }

    private final SimulatedAntminer antminer;
    private final SimulatedWhatsminer whatsminer;
    private final SimulatedBraiins braiins;
    private final CgminerRpcServer avalonServer;
    private final RpcListener avalon;
    private final MinerModel avalonModel;

    private DemoMixedRack(
            SimulatedAntminer antminer,
            SimulatedWhatsminer whatsminer,
            SimulatedBraiins braiins,
            CgminerRpcServer avalonServer,
            RpcListener avalon,
            MinerModel avalonModel) {
        this.antminer = antminer;
        this.whatsminer = whatsminer;
        this.braiins = braiins;
        this.avalonServer = avalonServer;
        this.avalon = avalon;
        this.avalonModel = avalonModel;
    }

    /**
     * Starts one miner of each family, writes their password files into the work folder and hangs
     * each on its outlet of {@link #RACK}; whatever started is closed again on a failure.
     */
    static DemoMixedRack start(DemoOptions options, SitePower power) throws IOException {
        var clock = power.site().clock();
        long seed = options.seed() * 131;
        List<AutoCloseable> started = new ArrayList<>();
        try {
            String antminerPassword = secret(options, Family.ANTMINER);
            SimulatedAntminer antminer =
                    new SimulatedAntminer(SimulatedAntminer.S21, seed + 1, clock, antminerPassword);
            started.add(antminer);
            String whatsminerPassword = secret(options, Family.WHATSMINER);
            SimulatedWhatsminer whatsminer = new SimulatedWhatsminer(
                    SimulatedWhatsminer.M30S_PLUS_PLUS,
                    seed + 2,
                    clock,
                    whatsminerPassword,
                    DemoConfigFiles.randomSecret());
            started.add(whatsminer);
            String braiinsPassword = secret(options, Family.BRAIINS);
            SimulatedBraiins braiins = new SimulatedBraiins(SimulatedBraiins.S19_XP, seed + 3, clock, braiinsPassword);
            started.add(braiins);
            CgminerRpcServer avalonServer = CgminerRpcServer.start("demo-avalon-rpc");
            started.add(avalonServer);
            MinerModel avalonModel = new MinerModel(
                    AvalonRpc.A1566, seed + 4, power.site().spec().inletTempC(), clock.instant());
            RpcListener avalon = avalonServer.listen(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new AvalonRpc(
                            avalonModel, MinerIdentity.generate(seed + 4, 0), clock, AvalonRpc.Options.defaults()),
                    new Faults());
            DemoMixedRack rack = new DemoMixedRack(antminer, whatsminer, braiins, avalonServer, avalon, avalonModel);
            for (Family family : Family.values()) {
                power.attach(RACK, family.outlet(), new MinerLoad(rack.model(family)));
            }
            return rack;
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable closeable : started) {
                try {
                    closeable.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static String secret(DemoOptions options, Family family) throws IOException {
        String password = DemoConfigFiles.randomSecret();
        DemoConfigFiles.writeSecret(options.workDir().resolve(family.passwordFile()), password + "\n");
        return password;
    }

    /** The physical model of {@code family}'s miner. */
    MinerModel model(Family family) {
        return switch (family) {
            case ANTMINER -> antminer.model();
            case WHATSMINER -> whatsminer.model();
            case BRAIINS -> braiins.model();
            case AVALON -> avalonModel;
        };
    }

    /** The port its API answers on (Whatsminer: API v2). */
    int port(Family family) {
        return switch (family) {
            case ANTMINER -> antminer.port();
            case WHATSMINER -> whatsminer.v2Port();
            case BRAIINS -> braiins.port();
            case AVALON -> avalon.port();
        };
    }

    /** The agent.yaml device blocks of the four miners (the last agent polls them). */
    String agentYaml() {
        StringBuilder yaml = new StringBuilder();
        for (Family family : Family.values()) {
            yaml.append("  - id: ").append(family.id).append('\n');
            yaml.append("    profile: ").append(family.profile).append('\n');
            String block = switch (family) {
                case ANTMINER -> "antminer-web";
                case WHATSMINER -> "whatsminer";
                case BRAIINS -> "braiins";
                case AVALON -> "cgminer";
            };
            if (family != Family.AVALON) {
                yaml.append("    credentials: {file: ")
                        .append(family.passwordFile())
                        .append("}\n");
            }
            yaml.append("    ").append(block).append(":\n");
            yaml.append("      host: 127.0.0.1\n");
            yaml.append(family == Family.WHATSMINER ? "      v2-port: " : "      port: ")
                    .append(port(family))
                    .append('\n');
        }
        return yaml.toString();
    }

    /** The site.yaml device entries of {@link #RACK} for {@code agent}. */
    static String siteDevices(String agent) {
        StringBuilder yaml = new StringBuilder();
        for (Family family : Family.values()) {
            yaml.append(String.format(
                    Locale.ROOT,
                    "              - {id: %s, agent: %s, class: hashing, outlet: \"%d\"}\n",
                    family.id,
                    agent,
                    family.outlet()));
        }
        return yaml.toString();
    }

    @Override
    public void close() {
        antminer.close();
        whatsminer.close();
        braiins.close();
        avalonServer.close();
    }
}
