package io.headroom.controller.site;

import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigDocuments;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.protocol.MetricDictionary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code site.yaml} into a {@link SiteModel} with the binder every Headroom config file uses,
 * and checks what no single record can: ids unique among nodes and among devices (a device in one
 * rack only), classes and racks that exist, a rack in one zone only, an outlet with a PDU meter to read
 * it from, one agent per device id. Those checks run on the file's tree, not on the bound records, so a
 * file with a type error in one device still reports every other problem: all at once, as
 * {@code file:line: path: message}. Keys are documented in {@code docs/site-model.md}.
 */
public final class SiteLoader {

    private SiteLoader() {}

    /**
     * Reads and validates a site file.
     *
     * @throws IOException if the file cannot be read
     * @throws ConfigException listing every problem in the file
     */
    public static SiteModel load(Path file) throws IOException, ConfigException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Validates site text.
     *
     * @param fileName what problems name the file by
     * @throws ConfigException listing every problem in the text
     */
    public static SiteModel parse(String fileName, String yaml) throws ConfigException {
        ConfigNode root = ConfigDocuments.parse(fileName, yaml);
        Problems problems = new Problems();
        SiteFile file = new ConfigBinder(Path.of("").toAbsolutePath()).bind(root, SiteFile.class, problems);
        new SiteChecks(root, problems).run();
        problems.throwIfAny();
        if (file == null) {
            throw new IllegalStateException("the binder gave no value and no problem");
        }
        return build(file);
    }

    /** The model of a file that passed every check. */
    private static SiteModel build(SiteFile file) {
        Map<String, PriorityClass> classes = new LinkedHashMap<>(PriorityClass.builtIn());
        file.classes().forEach((name, declared) -> {
            PriorityClass builtIn = classes.get(name);
            classes.put(name, builtIn == null ? declared : declared.over(builtIn));
        });
        SiteModel.Builder model = new SiteModel.Builder(file, classes);
        int site = model.node(
                SiteNodeKind.SITE, file.site(), -1, file.limitKw(), file.meter().orElse(null));
        for (Feed feed : file.feeds()) {
            int fn = model.node(
                    SiteNodeKind.FEED,
                    feed.id(),
                    site,
                    feed.limitKw().orElse(Double.NaN),
                    feed.meter().orElse(null));
            for (Pdu pdu : feed.pdus()) {
                MeterRef meter = pdu.meter().orElse(null);
                int pn =
                        model.node(SiteNodeKind.PDU, pdu.id(), fn, pdu.breaker().limitKw(), meter);
                for (Circuit circuit : pdu.circuits()) {
                    int cn = model.node(
                            SiteNodeKind.CIRCUIT,
                            circuit.id(),
                            pn,
                            circuit.breaker().limitKw(),
                            circuit.meter().orElse(null));
                    // A circuit's outlets are read from the circuit's meter when it has one, else the PDU's.
                    MeterRef outlets = circuit.meter().orElse(meter);
                    for (Rack rack : circuit.racks()) {
                        rack(model, rack, cn, outlets);
                    }
                }
                for (Rack rack : pdu.racks()) {
                    rack(model, rack, pn, meter);
                }
            }
        }
        for (CoolingZone zone : file.zones()) {
            model.zone(zone);
        }
        return model.build();
    }

    private static void rack(SiteModel.Builder model, Rack rack, int parent, @Nullable MeterRef outlets) {
        int node =
                model.node(SiteNodeKind.RACK, rack.id(), parent, rack.limitKw().orElse(Double.NaN), null);
        for (SiteDevice device : rack.devices()) {
            if (device.outlet().isPresent() && outlets != null) {
                model.device(
                        device,
                        node,
                        outlets.device(),
                        MetricDictionary.displayKey(
                                MetricDictionary.POWER, device.outlet().get()));
            } else {
                model.device(device, node, null, null);
            }
        }
    }
}
