package io.github.xnatreactive.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a buffer leak while it ran. It sets leak detection to PARANOID (every
 * buffer tracked) and records what Netty's detector finds; after the class it forces collection and fails with
 * the leak records, if any.
 *
 * <p>Register it for a whole test run through JUnit's extension auto-detection (a
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} file naming this class and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}), so that it is installed before Netty allocates its
 * first buffer, or with {@code @ExtendWith} on a class.
 */
public final class NettyLeakExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        collect();
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        collect();
        List<String> found = new ArrayList<>(LEAKS);
        LEAKS.clear();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak(s) detected in " + context.getDisplayName()
                    + ":\n" + String.join("\n---\n", found));
        }
    }

    /** Runs the garbage collector and allocates, so that the detector reports what was collected unreleased. */
    private static void collect() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            System.runFinalization();
            ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
            a.release();
            b.release();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add("LEAK: " + resourceType + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add("LEAK: " + resourceType + " (untraced)");
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
