/**
 * A simulated stock Antminer web UI: the CGI API over HTTP with Digest authentication, answering from the
 * shared miner model.
 */
package io.headroom.simulator.antminer;
