package io.github.xnatreactive.testkit;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Netty 4.2's adaptive allocator briefly takes a lock when it adds magazines under contention, on the event loop
 * itself. Netty's own BlockHound integration (4.2.18) does not list that path, so BlockHound failed reads in Netty
 * code, not ours, under 64 concurrent uploads (ConcurrencyTest).
 *
 * <p>To use it in your own BlockHound-checked tests, name it in a test resource
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}. BlockHound is an optional
 * dependency of the testkit: this class is only loaded when BlockHound is on the classpath.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(
                "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    }
}
