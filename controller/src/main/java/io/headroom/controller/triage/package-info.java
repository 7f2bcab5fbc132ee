/**
 * Triage: which devices a technician should look at and why (hot, offline, stale, under-hashing, a
 * failed fan or board, mis-configured, curtailed), judged from the state store, the alerts' hot
 * threshold and the engine's curtailments. Serves {@code GET /api/v1/devices?flag=} and the page.
 */
@NullMarked
package io.headroom.controller.triage;

import org.jspecify.annotations.NullMarked;
