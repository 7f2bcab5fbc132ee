/**
 * Driver for MicroBT Whatsminer miners: API v2 (CGMiner-style reads and AES-encrypted writes on TCP 4028)
 * and API v3 (length-prefixed JSON frames with salted tokens on TCP 4433).
 */
package io.headroom.agent.driver.whatsminer;
