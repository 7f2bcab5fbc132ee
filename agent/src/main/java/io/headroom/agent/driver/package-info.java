/** The driver contract: what every protocol family's driver provides to the scheduler and publisher. */
package io.headroom.agent.driver;
