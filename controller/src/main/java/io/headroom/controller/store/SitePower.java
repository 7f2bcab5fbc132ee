package io.headroom.controller.store;

/**
 * The site's measured power: the sum of the device-total {@code power} readings that may be
 * trusted as power truth, i.e. of devices that are ONLINE or DEGRADED with a reading whose
 * quality is not BAD (implausible values are stored BAD by {@link DeviceRecord#apply}).
 *
 * @param watts the sum
 * @param counted devices summed
 * @param excluded devices with a power reading left out: BAD quality, or STALE / OFFLINE
 */
public record SitePower(double watts, int counted, int excluded) {}
