package io.github.xnatreactive.testkit;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Three short lock waits in library code that BlockHound reports as blocking calls and that their libraries' own
 * integrations do not list:
 *
 * <ul>
 *   <li>Netty 4.2's adaptive allocator briefly takes a lock when it adds magazines under contention, on the event loop
 *       itself. Netty's own BlockHound integration (4.2.18) does not list that path, so BlockHound failed reads in
 *       Netty code, not ours, under 64 concurrent uploads (ConcurrencyTest).
 *   <li>Cancelling a Reactor {@code Flux.interval} (or any periodic task of a scheduler's worker) removes its task
 *       from the executor's queue under the queue's lock. Reactor's integration allows that for one-shot tasks
 *       ({@code SchedulerTask} and {@code WorkerTask}), not for {@code PeriodicWorkerTask}; the error BlockHound
 *       throws in the middle of the cancel loses the signal that caused it (a bulk job hung in about one run in
 *       a hundred when every file's stall timer was cancelled this way, before the engine had one timer per job).
 *   <li>Reactor's {@code Flux.toStream} / {@code toIterable} (the testkit reads an in-body archive through it while it
 *       arrives) signals its blocked reader under the iterator's lock, from the event loop that received the bytes;
 *       the reader holds that lock only to check for data, never while it waits. When the two met, BlockHound threw
 *       on the testkit's event loop and the upload's connection was closed (seen once in a fresh-clone CI run).
 * </ul>
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
        builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose");
        builder.allowBlockingCallsInside(
                "reactor.core.publisher.BlockingIterable$SubscriberIterator", "signalConsumer");
    }
}
