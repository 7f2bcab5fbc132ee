/**
 * Capacity reservations: the AI side asks for kW in a scope of the site, the engine frees it ahead
 * of the start by curtailing interruptible load in that scope, holds it, and gives it back after
 * the end (see {@code docs/reservations.md}).
 */
@org.jspecify.annotations.NullMarked
package io.headroom.controller.reservation;
