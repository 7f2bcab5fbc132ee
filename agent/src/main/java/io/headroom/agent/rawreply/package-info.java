/**
 * The raw last reply of each device's poll, kept for a technician's bug report: what the device
 * itself last answered, as text, bounded, with what was asked and when, secrets redacted.
 */
package io.headroom.agent.rawreply;
