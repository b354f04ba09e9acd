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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Extracts XNAT's zip as its buffers arrive, without copying them: each STORED entry's bytes are hashed and written
 * to a temporary file straight from the network buffers, and the file is moved into place only when its size and
 * MD5 match the listing. XNAT writes STORED entries with their sizes in the local header (its default), which is what
 * this reads without {@code java.util.zip}; from the first entry that is compressed or has its sizes after its data,
 * the rest of the archive goes through {@link Archives#extract} ({@code ZipInputStream}), whose checks are the same.
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

    /** The archive's buffers, read where they lie and, after the first entry this does not read, as a stream. */
    private final BridgeInputStream in;

    private StreamingUnzip(BufferQueue buffers) {
        this.in = new BridgeInputStream(buffers);
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
        StreamingUnzip z = new StreamingUnzip(buffers);
        try {
            z.run(label, expected, verified);
        } finally {
            z.in.close();
        }
    }

    private void run(String label, Map<String, Archives.Expected> expected, Consumer<Work> verified)
            throws IOException {
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
            boolean moved = false;
            try {
                try (FileChannel out = FileChannel.open(temp, NEW_FILE)) {
                    copy(size, md, out);
                }
                String md5 = HexFormat.of().formatHex(md.digest());
                if (size == x.size() && x.md5() != null && !x.md5().isEmpty() && md5.equalsIgnoreCase(x.md5())) {
                    Files.move(temp, x.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    moved = true;
                    expected.remove(rel);
                    verified.accept(x.work());
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

    /** Hashes and writes the next {@code n} bytes where they lie in the network buffers. */
    private void copy(long n, MessageDigest md, FileChannel out) throws IOException {
        while (n > 0) {
            ByteBuf b = buffer();
            int len = (int) Math.min(n, b.readableBytes());
            for (ByteBuffer bb : b.nioBuffers(b.readerIndex(), len)) {
                md.update(bb.duplicate());
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            }
            b.skipBytes(len);
            n -= len;
        }
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
