/**
 * The site model ({@code site.yaml}: feeds, PDUs, circuits, racks, devices, cooling zones, priority
 * classes), the power truth computed from it on every tick ({@link io.headroom.controller.site.PowerTruth}),
 * and the read-only {@code GET /api/v1/site} view of both.
 */
@NullMarked
package io.headroom.controller.site;

import org.jspecify.annotations.NullMarked;
