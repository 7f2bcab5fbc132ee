/** Driver for SNMP v1/v2c/v3 devices (rack PDUs first): GET, bounded GETBULK walks and SET, mapped by profile data. */
package io.headroom.agent.driver.snmp;
