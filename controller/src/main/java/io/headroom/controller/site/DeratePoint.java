package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.config.Range;

/**
 * One point of a cooling zone's derate curve: at this inlet temperature, the zone may dissipate this
 * share of its heat-rejection capacity. Between points the share is interpolated linearly.
 *
 * @param inletC inlet temperature in °C
 * @param percent share of the heat-rejection capacity available, 0–100
 */
@Doc("A point of the derate curve: at this inlet temperature, this share of the capacity.")
public record DeratePoint(
        @Doc("Inlet temperature in degrees Celsius.") @Range(min = "-40", max = "100")
        double inletC,

        @Doc("Share of the heat-rejection capacity available, in percent.") @Range(min = "0", max = "100")
        double percent) {}
