/** Turns agents' births, data, results and deaths into live device state, with per-agent sequencing and acks. */
package io.headroom.controller.ingest;
