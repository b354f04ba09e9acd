package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.stream.Stream;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;

/**
 * A request body as a blocking {@link InputStream}, read on a worker thread while it arrives: the chunks are pulled
 * with backpressure (at most {@link #PREFETCH} waiting), so a slow reader slows the client down instead of filling
 * the heap. {@link #cancel()} stops it. Not thread-safe: one reader.
 */
final class ChunkStream extends InputStream {
    static final int PREFETCH = 16;

    private final Stream<byte[]> chunks;
    private final Iterator<byte[]> it;
    private byte[] chunk;
    private int pos;
    private long total;
    private boolean ended;

    ChunkStream(Flux<byte[]> body) {
        this.chunks = body.toStream(PREFETCH);
        this.it = chunks.iterator();
    }

    /** The bytes that have arrived so far. */
    long total() {
        return total;
    }

    private boolean fill() throws IOException {
        while (chunk == null || pos == chunk.length) {
            if (ended) {
                return false;
            }
            try {
                if (!it.hasNext()) {
                    ended = true;
                    return false;
                }
                chunk = it.next();
            } catch (RuntimeException e) {
                ended = true;
                Throwable cause = Exceptions.unwrap(e);
                throw new IOException("The request body did not arrive whole: " + cause, cause);
            }
            pos = 0;
            total += chunk.length;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? chunk[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return chunk == null ? 0 : chunk.length - pos;
    }

    /** Reads and drops what is left of the body, so that the answer can follow it on the same connection. */
    void drain() throws IOException {
        while (fill()) {
            pos = chunk.length;
        }
    }

    /** Does nothing: a reader closing its streams leaves the body to {@link #drain} and {@link #cancel}. */
    @Override
    public void close() {}

    /** Stops reading: what has not arrived is cancelled. */
    void cancel() {
        ended = true;
        chunk = null;
        chunks.close();
    }
}
