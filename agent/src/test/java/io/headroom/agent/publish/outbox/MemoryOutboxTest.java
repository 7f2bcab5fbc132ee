package io.headroom.agent.publish.outbox;

class MemoryOutboxTest extends OutboxContractTest {
    @Override
    Outbox create(int maxRecords, long maxBytes, long maxAgeMillis) {
        return new MemoryOutbox(maxRecords, maxBytes, maxAgeMillis, clock);
    }
}
