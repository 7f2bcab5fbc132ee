/**
 * The controller's durable journal: an append-only, CRC32C-framed log of typed JSON records (grid
 * events, command intents and outcomes, operator actions) that survives kill -9 and is replayed at
 * start-up ({@code docs/journal.md}, decision D22).
 */
@NullMarked
package io.headroom.controller.journal;

import org.jspecify.annotations.NullMarked;
