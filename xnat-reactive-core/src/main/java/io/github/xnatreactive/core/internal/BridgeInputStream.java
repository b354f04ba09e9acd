package io.github.xnatreactive.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * Turns a stream of buffers into an {@link InputStream} for code that must read blocking (zip extraction). It
 * requests only as many buffers as it has room for, so a slow reader slows the network read; each buffer is copied
 * and left to its owner to release. Read it on a thread that may block ({@code boundedElastic}), never on an event
 * loop.
 *
 * <p>The producer side ({@code onNext}, called on an event loop) never blocks: a lock-free queue and
 * {@link LockSupport#unpark} to wake the reader (a lock there could park the event loop under contention).
 */
public final class BridgeInputStream extends InputStream implements CoreSubscriber<ByteBuf> {
    private static final Object EOF = new Object();

    private final int window;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private volatile Subscription subscription;
    private volatile Thread reader;
    private byte[] current;
    private int pos;
    private boolean finished;

    public BridgeInputStream(int window) {
        this.window = window;
    }

    /**
     * A stream over {@code buffers} (heap buffers such as {@code ResourceRef.zipContent()} emits, which need no
     * release), subscribed at once; {@link #cancel()} stops them.
     */
    public static BridgeInputStream of(Publisher<ByteBuffer> buffers, int window) {
        BridgeInputStream in = new BridgeInputStream(window);
        Flux.from(buffers).map(Unpooled::wrappedBuffer).subscribe(in);
        return in;
    }

    @Override
    public void onSubscribe(Subscription s) {
        this.subscription = s;
        s.request(window);
    }

    @Override
    public void onNext(ByteBuf buf) {
        byte[] copy = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), copy);
        signal(copy);
    }

    @Override
    public void onError(Throwable t) {
        signal(t);
    }

    @Override
    public void onComplete() {
        signal(EOF);
    }

    private void signal(Object o) {
        queue.offer(o);
        Thread r = reader;
        if (r != null) {
            LockSupport.unpark(r);
        }
    }

    /** Stops the upstream (after a failure or when the reader gives up). */
    public void cancel() {
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    private Object take() throws InterruptedIOException {
        Object o = queue.poll();
        if (o != null) {
            return o;
        }
        reader = Thread.currentThread();
        try {
            while ((o = queue.poll()) == null) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading a download");
                }
            }
            return o;
        } finally {
            reader = null;
        }
    }

    private boolean fill() throws IOException {
        while (current == null || pos >= current.length) {
            if (finished) {
                return false;
            }
            Object o = take();
            if (o == EOF) {
                finished = true;
                return false;
            }
            if (o instanceof Throwable t) {
                finished = true;
                throw new IOException("The download failed: " + t, t);
            }
            current = (byte[]) o;
            pos = 0;
            subscription.request(1);
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        cancel();
    }
}
