package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The test infrastructure itself: BlockHound is installed and the Netty leak extension fails leaking classes. */
class InfrastructureTest {
    static final String RUN_FIXTURES = "xnat.testkit.runLeakFixture";

    @Test
    void blockHoundRejectsBlockingCallsOnNonBlockingThreads() {
        Mono<Integer> blocking = Mono.fromCallable(() -> {
                    Thread.sleep(10); // the blocking call under test, not a wait
                    return 1;
                })
                .subscribeOn(Schedulers.parallel());
        assertThatThrownBy(blocking::block).satisfies(e -> assertThat(causes(e))
                .anySatisfy(c -> assertThat(c).isInstanceOf(BlockingOperationError.class)));
        // the same call on a thread meant for blocking work is fine
        assertThat(Mono.fromCallable(() -> {
                            Thread.sleep(1);
                            return 2;
                        })
                        .subscribeOn(Schedulers.boundedElastic())
                        .block())
                .isEqualTo(2);
    }

    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    @Test
    void leakExtensionFailsAClassThatLeaksABuffer() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeakingFixture.class))
                .configurationParameter(RUN_FIXTURES, "true")
                .execute();
        // the test method itself passes; the class fails in the extension's afterAll, naming the leak
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("allocatesAndForgets"), finishedSuccessfully()));
        results.containerEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                container(LeakingFixture.class),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class),
                                        message(m -> m.contains("Netty buffer leak") && m.contains("LEAK")))));
    }

    @Test
    void leakExtensionPassesAClassThatReleasesItsBuffers() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(CleanFixture.class))
                .configurationParameter(RUN_FIXTURES, "true")
                .execute();
        results.containerEvents()
                .assertThatEvents()
                .haveExactly(1, event(container(CleanFixture.class), finishedSuccessfully()));
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    /** Runs the fixtures below only when EngineTestKit asks for them, never on their own in a build. */
    static final class OnlyThroughEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_FIXTURES)
                    .filter(Boolean::parseBoolean)
                    .map(v -> ConditionEvaluationResult.enabled("run through EngineTestKit"))
                    .orElseGet(() -> ConditionEvaluationResult.disabled("fixture for InfrastructureTest only"));
        }
    }

    @ExtendWith({OnlyThroughEngineTestKit.class, NettyLeakExtension.class})
    static class LeakingFixture {
        @Test
        void allocatesAndForgets() {
            ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(1024);
            leaked.writeLong(42);
        }
    }

    @ExtendWith({OnlyThroughEngineTestKit.class, NettyLeakExtension.class})
    static class CleanFixture {
        @Test
        void allocatesAndReleases() {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(1024);
            buf.writeLong(42);
            assertThat(buf.release()).isTrue();
        }
    }
}
