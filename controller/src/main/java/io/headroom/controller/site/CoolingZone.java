package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.Topics;
import java.util.List;

/**
 * A cooling zone: how much heat it can reject, the inlet temperature it must stay under, how its
 * capacity falls as the inlet warms, and the racks in it.
 *
 * @param id zone id, unique among the site's nodes
 * @param heatRejectionKw heat the zone's cooling removes at full capacity; its load limit
 * @param inletLimitC the inlet temperature the zone must stay under
 * @param derate capacity against inlet temperature, by rising temperature
 * @param racks member racks, by id
 */
@Doc("A cooling zone: heat-rejection capacity, inlet limit, derate curve and member racks.")
public record CoolingZone(
        @Doc("Zone id, unique among the site's nodes.") String id,

        @Doc("Heat the zone can reject at full capacity, in kW.") @Range(min = "0.001")
        double heatRejectionKw,

        @Doc("Inlet temperature limit in degrees Celsius.") @Range(min = "-40", max = "100")
        double inletLimitC,

        @Doc("Capacity against inlet temperature, by rising temperature.")
        List<DeratePoint> derate,

        @Doc("Ids of the racks in this zone.") List<String> racks) {

    public CoolingZone {
        Topics.requireValidId(id, "id");
        derate = List.copyOf(derate);
        racks = List.copyOf(racks);
        for (int i = 1; i < derate.size(); i++) {
            if (!(derate.get(i).inletC() > derate.get(i - 1).inletC())) {
                throw new IllegalArgumentException("derate: points must be in rising inlet-c order");
            }
        }
    }

    /**
     * The share (0–1) of the capacity available at {@code inletC}: the curve interpolated linearly,
     * flat beyond its ends; 1 without a curve.
     */
    public double derateFactor(double inletC) {
        if (derate.isEmpty()) {
            return 1;
        }
        DeratePoint first = derate.get(0);
        if (inletC <= first.inletC()) {
            return first.percent() / 100;
        }
        for (int i = 1; i < derate.size(); i++) {
            DeratePoint hi = derate.get(i);
            if (inletC <= hi.inletC()) {
                DeratePoint lo = derate.get(i - 1);
                double t = (inletC - lo.inletC()) / (hi.inletC() - lo.inletC());
                return (lo.percent() + t * (hi.percent() - lo.percent())) / 100;
            }
        }
        return derate.get(derate.size() - 1).percent() / 100;
    }
}
