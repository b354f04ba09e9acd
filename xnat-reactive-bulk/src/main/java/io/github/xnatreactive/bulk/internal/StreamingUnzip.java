package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.core.XnatProtocolException;
import io.github.xnatreactive.core.internal.BridgeInputStream;
import io.github.xnatreactive.core.internal.BufferQueue;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import reactor.core.scheduler.Schedulers;

/**
 * Extracts XNAT's zip as its buffers arrive, without copying them: each STORED entry's bytes are hashed and written
 * to a temporary file straight from the network buffers, and the file is moved into place only when its size and
 * MD5 match the listing. XNAT writes STORED entries with their sizes in the local header (its default), which is what
 * this reads without {@code java.util.zip}; from the first entry that is compressed or has its sizes after its data,
 * the rest of the archive goes through {@link Archives#extract} ({@code ZipInputStream}), whose checks are the same.
 *
 * <p>Entries of up to {@link Tuning#handOffMax} bytes are taken whole, as retained slices of the network buffers (no
 * copy), and hashed and written by a helper thread while this one reads on: MD5 and the file writes of one archive
 * then use more than one core. The reading thread writes entries itself whenever more than {@link Tuning#queuedMax}
 * entries or {@link Tuning#heldMax} bytes wait (so that it never waits for a helper that has not started, and the
 * bytes held stay bounded), and it returns or fails only once every entry it handed off is settled.
 *
 * <p>Blocking: runs on a worker thread, never on an event loop. Every buffer taken is released.
 */
final class StreamingUnzip {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final long MAX32 = 0xFFFFFFFFL;
    private static final OpenOption[] NEW_FILE = {StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW};

    /**
     * When entries go to a helper thread.
     *
     * @param handOffMax the largest entry handed off (a larger one is written by the reading thread as it arrives)
     * @param queuedMax the most entries waiting for a helper
     * @param heldMax the most bytes of entries waiting for or being written by a helper
     * @param helperMin the bytes waiting before a helper is started (smaller archives are written by the reading
     *     thread alone: many run at once, and a helper would only add a thread hand-off per entry)
     * @param helpers the helper threads of one archive
     * @param anyLanes hash entries together in SIMD lanes ({@link Md5Lanes}) whenever the JVM can, not only once the
     *     lanes proved faster here (for tests)
     */
    record Tuning(int handOffMax, int queuedMax, long heldMax, long helperMin, int helpers, boolean anyLanes) {
        static final Tuning DEFAULT = new Tuning(
                4 << 20,
                16,
                16L << 20,
                2L << 20,
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
                false);
    }

    /** The archive's buffers, read where they lie and, after the first entry this does not read, as a stream. */
    private final BridgeInputStream in;

    private final Tuning tuning;
    private final Consumer<Work> verified;

    /** Entries hashed at once ({@link Md5Lanes}), or 0: one by one. */
    private final int lanes;

    /** Entries waiting for a helper (or for this thread), their bytes held, and what the helpers are doing. */
    private final ArrayDeque<Whole> queue = new ArrayDeque<>();

    private long held;
    private int helpersStarted;
    private int writing;
    private boolean closed;
    private Throwable failure;

    private StreamingUnzip(BufferQueue buffers, Tuning tuning, Consumer<Work> verified) {
        this.in = new BridgeInputStream(buffers);
        this.tuning = tuning;
        this.verified = verified;
        this.lanes = tuning.anyLanes() ? Md5Lanes.lanesIfSupported() : Md5Lanes.lanes();
    }

    /**
     * Reads the archive in {@code buffers} and moves each entry that is one of {@code expected} (by its path after
     * {@code resources/{label}/files/}) into place once its size and MD5 match, removing it from {@code expected}
     * and passing its work to {@code verified}. Other entries are read past; a zip-slip entry name fails the archive
     * before anything of it is written; a cut stream fails it, and no partial file is left.
     */
    static void extract(
            BufferQueue buffers, String label, Map<String, Archives.Expected> expected, Consumer<Work> verified)
            throws IOException {
        extract(buffers, label, expected, verified, Tuning.DEFAULT);
    }

    /** As {@link #extract(BufferQueue, String, Map, Consumer)}; {@code verified} may be told from several threads. */
    static void extract(
            BufferQueue buffers,
            String label,
            Map<String, Archives.Expected> expected,
            Consumer<Work> verified,
            Tuning tuning)
            throws IOException {
        StreamingUnzip z = new StreamingUnzip(buffers, tuning, verified);
        boolean ok = false;
        try {
            z.run(label, expected);
            ok = true;
        } finally {
            try {
                z.in.close();
            } finally {
                z.finish(ok);
            }
        }
    }

    private void run(String label, Map<String, Archives.Expected> expected) throws IOException {
        String marker = "resources/" + label + "/files/";
        byte[] header = new byte[30];
        Set<Path> made = new HashSet<>();
        String token = "." + UUID.randomUUID() + ".";
        MessageDigest md = LocalFiles.newMd5();
        int count = 0;
        while (true) {
            if (!read(header, 0, 4, true)) {
                return; // the end of the stream where an entry could start
            }
            int signature = le32(header, 0);
            if (signature == CENTRAL || signature == END || signature == ZIP64_END) {
                skipToEnd(); // the central directory: nothing more to extract
                return;
            }
            if (signature != LOCAL) {
                throw new XnatProtocolException(String.format("Not a zip archive: signature 0x%08x", signature));
            }
            read(header, 4, 26, false);
            int flags = le16(header, 6);
            int method = le16(header, 8);
            long compressed = le32(header, 18) & MAX32;
            long size = le32(header, 22) & MAX32;
            byte[] name = new byte[le16(header, 26)];
            byte[] extra = new byte[le16(header, 28)];
            read(name, 0, name.length, false);
            read(extra, 0, extra.length, false);
            if (size == MAX32 || compressed == MAX32) {
                long[] sizes = zip64(extra, size, compressed);
                size = sizes[0];
                compressed = sizes[1];
            }
            if (method != 0 || (flags & 0x9) != 0 || compressed != size || size < 0) {
                // compressed, encrypted or sizes after the data: the rest goes through ZipInputStream, from here
                Archives.extract(rest(header, name, extra), label, expected, verified);
                skipToEnd(); // read the body to its end, so that the connection can serve the next request
                return;
            }
            String entry = new String(name, StandardCharsets.UTF_8);
            Archives.refuseUnsafe(entry);
            String rel = entry.endsWith("/") ? null : Archives.relative(entry, marker);
            Archives.Expected x = rel == null ? null : expected.get(rel);
            if (x == null) {
                skip(size); // a folder, or not listed (or not wanted): read past it
                continue;
            }
            Path parent = x.target().getParent();
            if (made.add(parent)) {
                Files.createDirectories(parent);
            }
            Path temp = x.target().resolveSibling("." + x.target().getFileName() + token + (count++) + ".part");
            if (size <= tuning.handOffMax()) {
                expected.remove(rel); // claimed: a second entry of the same path is read past
                handOff(new Whole(x, temp, slices(size), size));
                continue;
            }
            boolean moved = false;
            try {
                try (FileChannel out = FileChannel.open(temp, NEW_FILE)) {
                    copy(size, md, out);
                }
                moved = x.moveIfVerified(temp, size, HexFormat.of().formatHex(md.digest()), verified);
                if (moved) {
                    expected.remove(rel);
                }
            } finally {
                md.reset();
                if (!moved) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    /** The sizes from a zip64 extra field (in its order: size, then compressed size, each only if masked). */
    private static long[] zip64(byte[] extra, long size, long compressed) {
        for (int at = 0; at + 4 <= extra.length; ) {
            int id = le16(extra, at);
            int len = le16(extra, at + 2);
            if (id == 1) {
                int p = at + 4;
                if (size == MAX32 && p + 8 <= at + 4 + len) {
                    size = le64(extra, p);
                    p += 8;
                }
                if (compressed == MAX32 && p + 8 <= at + 4 + len) {
                    compressed = le64(extra, p);
                }
                break;
            }
            at += 4 + len;
        }
        return new long[] {size, compressed};
    }

    /** An entry read whole: {@code size} bytes in retained slices of the network buffers, released once written. */
    private record Whole(Archives.Expected x, Path temp, List<ByteBuf> slices, long size) {
        void release() {
            for (ByteBuf b : slices) {
                b.release();
            }
        }

        /** The entry's bytes where they lie, for hashing (views: the slices are not moved). */
        ByteBuffer[] buffers() {
            List<ByteBuffer> out = new ArrayList<>(slices.size());
            for (ByteBuf b : slices) {
                out.addAll(List.of(b.nioBuffers(b.readerIndex(), b.readableBytes())));
            }
            return out.toArray(ByteBuffer[]::new);
        }
    }

    /** The next {@code n} bytes as retained slices of the buffers they lie in. */
    private List<ByteBuf> slices(long n) throws IOException {
        List<ByteBuf> out = new ArrayList<>(2);
        try {
            while (n > 0) {
                ByteBuf b = buffer();
                int len = (int) Math.min(n, b.readableBytes());
                out.add(b.retainedSlice(b.readerIndex(), len));
                b.skipBytes(len);
                n -= len;
            }
            return out;
        } catch (IOException | RuntimeException | Error e) {
            out.forEach(ByteBuf::release);
            throw e;
        }
    }

    /** Queues an entry for a helper; writes queued entries itself while too many or too many bytes wait. */
    private void handOff(Whole w) throws IOException {
        long size = w.size();
        boolean start;
        synchronized (this) {
            if (failure != null) {
                w.release();
                throw failed();
            }
            queue.add(w);
            held += size;
            start = helpersStarted < tuning.helpers() && held >= tuning.helperMin();
            if (start) {
                helpersStarted++;
            }
            notifyAll(); // a helper waiting for work
        }
        if (start) {
            try {
                Schedulers.boundedElastic().schedule(this::help);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    helpersStarted--; // no helper: this thread writes everything (below, and at the end)
                }
            }
        }
        List<Whole> own;
        while (!(own = take(false)).isEmpty()) {
            settle(own);
        }
    }

    /**
     * The next entries waiting (as many as there are lanes, or one), counted as being written: any ({@code any}), or
     * only while more entries or bytes wait than the tuning allows; none when there is none to take.
     */
    private synchronized List<Whole> take(boolean any) {
        if (queue.isEmpty() || !any && queue.size() <= tuning.queuedMax() && held <= tuning.heldMax()) {
            return List.of();
        }
        return poll();
    }

    private List<Whole> poll() {
        int n = Math.min(Math.max(1, lanes), queue.size());
        List<Whole> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(queue.poll());
        }
        writing += n;
        return batch;
    }

    /**
     * A helper: writes queued entries until the archive is read whole and nothing waits. With lanes it waits for as
     * many entries as there are lanes, half the bytes allowed to wait, or the end of the archive, so that the entries
     * it takes are hashed together.
     */
    private void help() {
        int batch = Math.min(Math.max(1, lanes), tuning.queuedMax());
        while (true) {
            List<Whole> ws;
            synchronized (this) {
                while (queue.size() < batch && held < tuning.heldMax() / 2 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return; // the reading thread writes what is left
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                ws = poll();
            }
            settle(ws);
        }
    }

    /**
     * Hashes (together, when there are enough of them for the lanes), writes, checks and moves entries read whole,
     * on whichever thread took them, then lets their bytes go. One entry's failure does not stop the others.
     */
    private void settle(List<Whole> batch) {
        String[] digests = null;
        Throwable error = null;
        if (lanes > 0 && (batch.size() >= Md5Lanes.MIN_BATCH || tuning.anyLanes())) {
            try {
                List<ByteBuffer[]> entries = new ArrayList<>(batch.size());
                for (Whole w : batch) {
                    entries.add(w.buffers());
                }
                digests = Md5Lanes.hex(entries);
            } catch (Throwable t) {
                error = t;
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Whole w = batch.get(i);
            Throwable own = error;
            try {
                if (own == null) {
                    write(w, digests == null ? null : digests[i]);
                }
            } catch (Throwable t) {
                own = t;
            } finally {
                w.release();
                synchronized (this) {
                    writing--;
                    held -= w.size();
                    if (own != null && failure == null) {
                        failure = own;
                    }
                    notifyAll();
                }
            }
        }
    }

    /** Writes one entry read whole, hashing it unless its MD5 is given, and moves it into place if it matches. */
    private void write(Whole w, String md5) throws IOException {
        Archives.Expected x = w.x();
        boolean moved = false;
        try {
            MessageDigest md = md5 == null ? LocalFiles.newMd5() : null;
            long size = 0;
            try (FileChannel out = FileChannel.open(w.temp(), NEW_FILE)) {
                for (ByteBuf b : w.slices()) {
                    size += hashAndWrite(b, b.readerIndex(), b.readableBytes(), md, out);
                }
            }
            String digest = md == null ? md5 : HexFormat.of().formatHex(md.digest());
            moved = x.moveIfVerified(w.temp(), size, digest, verified);
        } finally {
            if (!moved) {
                Files.deleteIfExists(w.temp());
            }
        }
    }

    /**
     * The end of the archive (or of reading it): writes what still waits, waits for the helpers' entries in hand,
     * then fails with the first helper's failure if reading itself went well.
     */
    private void finish(boolean ok) throws IOException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        List<Whole> own;
        while (!(own = take(true)).isEmpty()) {
            settle(own);
        }
        boolean interrupted = false;
        synchronized (this) {
            while (writing > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the helpers' entries are whole: they end soon, wait for them all the same
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (ok && failure != null) {
                throw failed();
            }
        }
    }

    private IOException failed() {
        return failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
    }

    /** Hashes and writes the next {@code n} bytes where they lie in the network buffers. */
    private void copy(long n, MessageDigest md, FileChannel out) throws IOException {
        while (n > 0) {
            ByteBuf b = buffer();
            int len = (int) Math.min(n, b.readableBytes());
            hashAndWrite(b, b.readerIndex(), len, md, out);
            b.skipBytes(len);
            n -= len;
        }
    }

    /**
     * Hashes ({@code md}, unless null) and writes {@code len} bytes of {@code b} from {@code at}, where they lie; the
     * bytes written.
     */
    private static long hashAndWrite(ByteBuf b, int at, int len, MessageDigest md, FileChannel out) throws IOException {
        long written = 0;
        for (ByteBuffer bb : b.nioBuffers(at, len)) {
            if (md != null) {
                md.update(bb.duplicate());
            }
            while (bb.hasRemaining()) {
                written += out.write(bb);
            }
        }
        return written;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            ByteBuf b = buffer();
            int len = (int) Math.min(n, b.readableBytes());
            b.skipBytes(len);
            n -= len;
        }
    }

    private void skipToEnd() throws IOException {
        ByteBuf b;
        while ((b = in.buffer()) != null) {
            b.skipBytes(b.readableBytes());
        }
    }

    /** Reads {@code len} bytes into {@code dst}; false only when {@code eofOk} and the stream ends before the first. */
    private boolean read(byte[] dst, int off, int len, boolean eofOk) throws IOException {
        int done = 0;
        while (done < len) {
            ByteBuf b = done == 0 && eofOk ? in.buffer() : buffer();
            if (b == null) {
                return false;
            }
            int k = Math.min(len - done, b.readableBytes());
            b.readBytes(dst, off + done, k);
            done += k;
        }
        return true;
    }

    /** The current buffer with bytes left, taking the next one; a stream that ends here is cut. */
    private ByteBuf buffer() throws IOException {
        ByteBuf b = in.buffer();
        if (b == null) {
            throw new EOFException("The archive ended in the middle of an entry");
        }
        return b;
    }

    /** The archive from the local header just read on, as a stream for {@code ZipInputStream}. */
    private InputStream rest(byte[] header, byte[] name, byte[] extra) {
        byte[] head = new byte[header.length + name.length + extra.length];
        System.arraycopy(header, 0, head, 0, header.length);
        System.arraycopy(name, 0, head, header.length, name.length);
        System.arraycopy(extra, 0, head, header.length + name.length, extra.length);
        // ZipInputStream closes what it reads: the body stays open, to be read to its end for the connection's sake
        InputStream body = new java.io.FilterInputStream(in) {
            @Override
            public void close() {}
        };
        return new SequenceInputStream(new ByteArrayInputStream(head), body);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int at) {
        return le16(b, at) | le16(b, at + 2) << 16;
    }

    private static long le64(byte[] b, int at) {
        return (le32(b, at) & MAX32) | (long) le32(b, at + 4) << 32;
    }
}
