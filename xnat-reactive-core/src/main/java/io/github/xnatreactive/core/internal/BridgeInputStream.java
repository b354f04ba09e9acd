package io.github.xnatreactive.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * A body's buffers as an {@link InputStream}, for code that must read blocking (zip extraction): a reading view of
 * a {@link BufferQueue}, which requests only as many buffers as it has room for, so a slow reader slows the network
 * read. Each buffer is released once read to its end, or on {@link #close()}. Read it on a thread that may block
 * ({@code boundedElastic}), never on an event loop.
 */
public final class BridgeInputStream extends InputStream {
    private final BufferQueue buffers;
    private ByteBuf current;

    /** A stream over the buffers {@code buffers} receives. */
    public BridgeInputStream(BufferQueue buffers) {
        this.buffers = buffers;
    }

    /**
     * A stream over {@code buffers} (heap buffers such as {@code ResourceRef.zipContent()} emits), subscribed at
     * once; {@link #cancel()} stops them.
     */
    public static BridgeInputStream of(Publisher<ByteBuffer> buffers, int window) {
        BufferQueue q = new BufferQueue(window);
        Flux.from(buffers).map(Unpooled::wrappedBuffer).subscribe(q);
        return new BridgeInputStream(q);
    }

    /**
     * The buffer being read, with bytes left, taking the next one when needed; null at the end of the body. It stays
     * the stream's: a caller reads from it where it lies (advancing its reader index) and never releases it, so that
     * byte-level and stream reads can be mixed.
     */
    public ByteBuf buffer() throws IOException {
        while (current == null || !current.isReadable()) {
            releaseCurrent();
            current = buffers.next();
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private void releaseCurrent() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    @Override
    public int read() throws IOException {
        ByteBuf b = buffer();
        return b == null ? -1 : b.readByte() & 0xff;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuf b = buffer();
        if (b == null) {
            return -1;
        }
        int n = Math.min(len, b.readableBytes());
        b.readBytes(dst, off, n);
        return n;
    }

    /**
     * Stops the upstream and releases what is queued (after a failure or when the reader gives up); safe from any
     * thread. The buffer being read is released by {@link #close()}, on the reading thread.
     */
    public void cancel() {
        buffers.cancel();
    }

    @Override
    public void close() {
        cancel();
        releaseCurrent();
    }
}
