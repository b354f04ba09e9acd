package io.github.xnatreactive.core.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A body's buffers handed, without a copy, to a reader on a thread that may block ({@link BridgeInputStream} reads
 * them as a stream). Each buffer is retained as it arrives and belongs to the reader once {@link #next()}
 * returns it (the reader releases it); buffers still queued when the stream is cancelled are released here. At
 * most {@code window} buffers are requested ahead of the reader (renewed half a window at a time), so a slow reader
 * slows the network read.
 *
 * <p>The producer side ({@code onNext}, on an event loop) never blocks: a lock-free queue and
 * {@link LockSupport#unpark} wake the reader.
 */
public final class BufferQueue implements CoreSubscriber<ByteBuf> {
    private static final Object EOF = new Object();

    private final int window;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private volatile Subscription subscription;
    private volatile Thread reader;
    private volatile boolean cancelled;
    private boolean finished;
    /** Buffers taken since demand was last renewed: renewed in batches, not one by one. */
    private int taken;

    public BufferQueue(int window) {
        this.window = window;
    }

    @Override
    public void onSubscribe(Subscription s) {
        this.subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(window);
        }
    }

    @Override
    public void onNext(ByteBuf buf) {
        signal(buf.retain());
        if (cancelled) {
            drain();
        }
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

    /**
     * The next buffer, waiting for it: the caller owns it and must release it.
     *
     * @return the next buffer, or null at the end of the body
     * @throws IOException when the body failed, or the waiting thread was interrupted
     */
    public ByteBuf next() throws IOException {
        if (finished) {
            return null;
        }
        Object o = take();
        if (o == EOF) {
            finished = true;
            return null;
        }
        if (o instanceof Throwable t) {
            finished = true;
            throw new IOException("The download failed: " + t, t);
        }
        // demand is renewed half a window at a time: one by one, the channel's reading would be switched off and on
        // for every buffer (an epoll_ctl and a wake-up each)
        if (++taken >= Math.max(1, window / 2)) {
            subscription.request(taken);
            taken = 0;
        }
        return (ByteBuf) o;
    }

    private Object take() throws InterruptedIOException {
        Object o = queue.poll();
        if (o != null) {
            return o;
        }
        reader = Thread.currentThread();
        try {
            while ((o = queue.poll()) == null) {
                if (cancelled) {
                    // nothing more will come: a read after cancel() fails instead of waiting forever
                    throw new InterruptedIOException("the download was cancelled");
                }
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

    /** Stops the upstream and releases every buffer not yet taken (after a failure, or when the reader is done). */
    public void cancel() {
        cancelled = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        drain();
    }

    private void drain() {
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof ByteBuf b) {
                b.release();
            }
        }
    }
}
