package io.headroom.controller.site;

import io.headroom.controller.store.DeviceSample;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every device one evaluation of the site reads, sampled once: each device node's own device, by
 * node index, and each meter device (feed and PDU meters, the PDUs that meter outlets), by meter
 * index. Power truth, the engine's device facts and the engine itself index these arrays; nothing
 * in a tick looks a device up by its id again, so every part of it sees the same reading.
 *
 * <p>A device that is both a site device and a meter is sampled once for each role.
 */
public final class SiteSamples {

    private final SiteModel site;
    private final @Nullable DeviceSample[] nodes;
    private final @Nullable DeviceSample[] meters;

    private SiteSamples(SiteModel site, @Nullable DeviceSample[] nodes, @Nullable DeviceSample[] meters) {
        this.site = site;
        this.nodes = nodes;
        this.meters = meters;
    }

    /** Samples every device of the site from {@code devices}, each once. */
    public static SiteSamples take(SiteModel site, DeviceLookup devices) {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(devices, "devices");
        @Nullable DeviceSample[] meters = new DeviceSample[site.meterCount()];
        for (int m = 0; m < meters.length; m++) {
            meters[m] = devices.device(site.meterDevice(m));
        }
        @Nullable DeviceSample[] nodes = new DeviceSample[site.size()];
        for (int node = 0; node < nodes.length; node++) {
            SiteDevice device = site.device(node);
            if (device != null) {
                nodes[node] = devices.device(device.id());
            }
        }
        return new SiteSamples(site, nodes, meters);
    }

    /** The model these samples were taken for. */
    public SiteModel site() {
        return site;
    }

    /** The sample of a device node's device; null for other nodes and for devices no agent reports. */
    public @Nullable DeviceSample device(int node) {
        return nodes[node];
    }

    /** The sample of a meter device; null while no agent reports it. */
    @Nullable
    DeviceSample meter(int meter) {
        return meters[meter];
    }

    /** The sample of the PDU that meters and switches a device node's outlet; null when it has none. */
    public @Nullable DeviceSample outletPdu(int node) {
        int meter = site.outletMeter(node);
        return meter < 0 ? null : meters[meter];
    }
}
