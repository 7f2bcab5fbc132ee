/** Driver for the CGMiner-family JSON RPC on TCP 4028 (Antminer bmminer, LuxOS, …), with its known reply quirks. */
package io.headroom.agent.driver.cgminer;
