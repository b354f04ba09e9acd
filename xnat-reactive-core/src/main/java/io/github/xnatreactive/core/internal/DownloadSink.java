package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatIntegrityException;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;

/**
 * Writes a response body to a temporary file beside the target, hashing MD5 on the way, then checks size and
 * digest and moves it into place atomically. A failure or a cancel deletes the temporary file, so the target path
 * never holds a partial file. File work runs on {@code boundedElastic}, never on an event loop; each buffer is
 * retained until written, then released.
 */
public final class DownloadSink {
    private final Path target;
    private final Path temp;
    private final java.util.function.LongConsumer progress;
    private FileChannel channel;
    private MessageDigest md5;
    private long size;
    /** Set by {@link #discard()}: a write that is still running must not (re)create the temporary file. */
    private volatile boolean discarded;
    /** Buffers retained on the way to the writing thread and not yet written (guarded by itself). */
    private final java.util.Set<ByteBuf> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    public DownloadSink(Path target) {
        this(target, n -> {});
    }

    /** With a callback told the byte count of each chunk as it is written (from a worker thread). */
    public DownloadSink(Path target, java.util.function.LongConsumer progress) {
        this.progress = progress;
        this.target = target.toAbsolutePath();
        this.temp = this.target.resolveSibling("." + this.target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
    }

    /** The digest and size of what was written. */
    public record Written(long size, String md5) {}

    /** The most bytes a body may have, and what says so (for the message when a body goes past it). */
    public record Limit(long bytes, String source) {}

    /**
     * Writes the body (retaining each buffer across the thread hop) and completes with the size and MD5 of what
     * was written. Each subscription starts the temporary file anew, so a retried response overwrites it. A body
     * longer than {@code limit} fails with {@link XnatIntegrityException} as soon as it passes it: the excess is
     * neither written nor waited for.
     */
    public Mono<Written> write(Flux<ByteBuf> body, Limit limit, String what) {
        // The file is opened, written and closed on one boundedElastic worker: one thread hop per response.
        return Flux.defer(() -> {
                    startAttempt();
                    long[] received = {0};
                    return body.<ByteBuf>handle((b, out) -> {
                        received[0] += b.readableBytes();
                        if (received[0] > limit.bytes()) {
                            out.error(new XnatIntegrityException(
                                    "The server sent more than the " + limit.source() + " of " + what
                                            + "; stopped reading",
                                    limit.bytes() + " bytes",
                                    "more than " + limit.bytes() + " bytes"));
                        } else if (hold(b)) {
                            out.next(b);
                        }
                    });
                })
                .publishOn(Schedulers.boundedElastic(), 8)
                .doOnNext(this::append)
                .doOnDiscard(ByteBuf.class, this::drop)
                .then(Mono.fromCallable(this::closeChannel));
    }

    private int attempt;
    private int openedAttempt = -1;

    /** A new attempt (a retry re-subscribes): buffers an ended attempt left stranded are released first. */
    private synchronized void startAttempt() {
        releaseHeld();
        attempt++;
    }

    /*
     * Buffers retained for the hop to the writing thread are tracked until written: a cancel can strand buffers in
     * publishOn's queue (a drain task cancelled with its worker), so discard() releases whatever is still held.
     */
    private boolean hold(ByteBuf b) {
        synchronized (held) {
            if (discarded) {
                return false;
            }
            held.add(b.retain());
            return true;
        }
    }

    /** Takes a held buffer back; false when discard() already released it. */
    private boolean unhold(ByteBuf b) {
        synchronized (held) {
            return held.remove(b);
        }
    }

    /** Releases buffers that are held but will not be written. */
    private void releaseHeld() {
        synchronized (held) {
            held.forEach(ReferenceCountUtil::safeRelease);
            held.clear();
        }
    }

    private void drop(ByteBuf b) {
        if (unhold(b)) {
            ReferenceCountUtil.safeRelease(b);
        }
    }

    /** Opens (or reopens, truncating, for a new attempt) the temporary file; runs on the worker. */
    private void ensureOpen() throws IOException {
        if (channel != null && openedAttempt == attempt) {
            return;
        }
        if (discarded) {
            throw new java.util.concurrent.CancellationException("download cancelled");
        }
        Files.createDirectories(target.getParent());
        closeQuietly();
        channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        md5 = md5();
        size = 0;
        openedAttempt = attempt;
    }

    private synchronized void append(ByteBuf buf) {
        if (!unhold(buf)) {
            return;
        }
        try {
            if (discarded) {
                return;
            }
            ensureOpen();
            long before = size;
            for (ByteBuffer bb : buf.nioBuffers()) {
                md5.update(bb.duplicate());
                while (bb.hasRemaining()) {
                    size += channel.write(bb);
                }
            }
            progress.accept(size - before);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buf.release();
        }
    }

    private synchronized Written closeChannel() throws IOException {
        if (discarded) {
            throw new java.util.concurrent.CancellationException("download cancelled");
        }
        ensureOpen(); // an empty body still makes an (empty) file
        // No fsync: a file that a crash leaves incomplete fails its MD5 check on the next run and is fetched again.
        channel.close();
        channel = null;
        return new Written(size, HexFormat.of().formatHex(md5.digest()));
    }

    /**
     * Writes a small body that arrived whole: one task on a {@code boundedElastic} worker writes, hashes and closes
     * the temporary file (one thread hop per file instead of one per chunk).
     */
    public Mono<Written> writeSmall(Flux<ByteBuf> body) {
        return Mono.defer(() -> {
                    startAttempt();
                    // progress is told as the bytes arrive (a stall shows even before the body is whole)
                    return ByteBufFlux.fromInbound(body.doOnNext(b -> progress.accept(b.readableBytes())))
                            .aggregate()
                            .asByteArray()
                            .defaultIfEmpty(new byte[0]);
                })
                .publishOn(Schedulers.boundedElastic())
                .map(this::writeAll);
    }

    private synchronized Written writeAll(byte[] bytes) {
        try {
            ensureOpen();
            md5.update(bytes);
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                size += channel.write(bb);
            }
            return closeChannel();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks the written file against what the listing said ({@code expectedSize < 0} and an empty digest skip
     * the checks), then moves it to the target. Call it on the worker thread that finished the write (it does file
     * I/O), which saves a thread hop per file.
     */
    public Path verifyAndMove(Written w, long expectedSize, String expectedMd5, String what) {
        if (expectedSize >= 0 && w.size() != expectedSize) {
            throw new XnatIntegrityException("Size mismatch for " + what, expectedSize + " bytes", w.size() + " bytes");
        }
        if (expectedMd5 != null && !expectedMd5.isEmpty() && !expectedMd5.equalsIgnoreCase(w.md5())) {
            throw new XnatIntegrityException("MD5 mismatch for " + what, expectedMd5, w.md5());
        }
        try {
            return moveIntoPlace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized Path moveIntoPlace() throws IOException {
        if (discarded) {
            throw new java.util.concurrent.CancellationException("download cancelled");
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Deletes the temporary file (after a failure or a cancel). Safe to call more than once. */
    public synchronized void discard() {
        synchronized (held) {
            discarded = true;
            releaseHeld();
        }
        closeQuietly();
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort; the name marks it as partial
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
            channel = null;
        }
    }

    static MessageDigest md5() {
        return Md5.newDigest();
    }
}
