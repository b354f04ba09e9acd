package io.github.xnatreactive.bulk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A blocking input stream over a publisher of buffers, for code that parses a stream (a zip) on a worker thread.
 * It asks for a few buffers ahead and one more per buffer consumed, so memory is bounded; {@link #onNext} never
 * blocks (it runs on an event loop). A failure of the publisher is thrown by {@code read} as an IOException whose
 * cause is that failure.
 */
final class ByteBufferInputStream extends InputStream implements CoreSubscriber<ByteBuffer> {
    private static final int AHEAD = 8;
    private static final Object DONE = new Object();

    private record Failure(Throwable error) {}

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Subscription subscription;
    private volatile boolean cancelled;
    private ByteBuffer current;
    private boolean finished;

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(AHEAD);
        }
    }

    @Override
    public void onNext(ByteBuffer b) {
        queue.add(b);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(new Failure(t));
    }

    @Override
    public void onComplete() {
        queue.add(DONE);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (finished) {
                return -1;
            }
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the stream");
            }
            if (o == DONE) {
                finished = true;
                return -1;
            }
            if (o instanceof Failure f) {
                finished = true;
                throw new IOException("The stream failed: " + f.error().getMessage(), f.error());
            }
            current = (ByteBuffer) o;
            subscription.request(1);
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    /** Stops the publisher (the reader is done with it, or gave up). */
    void cancel() {
        cancelled = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void close() {
        cancel();
    }
}
