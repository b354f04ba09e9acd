package io.github.xnatreactive.testkit.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The MD5 (the catalog's digest) and the CRC-32 (a zip entry's checksum) of bytes as they are written, so a stored
 * file is read once and a zip download never reads a file twice.
 */
public final class Checksums {
    private final MessageDigest md5 = Multipart.md5();
    private final CRC32 crc;
    private long size;

    /** The MD5 and the CRC-32. */
    public Checksums() {
        this(true);
    }

    /** The MD5, and the CRC-32 only when {@code withCrc} (an archive entry's CRC-32 is its header's). */
    public Checksums(boolean withCrc) {
        this.crc = withCrc ? new CRC32() : null;
    }

    /** The checksums of a whole file, read once. */
    public static Checksums of(Path file) throws IOException {
        Checksums sums = new Checksums();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
            while (ch.read(b) >= 0) {
                b.flip();
                sums.update(b);
                b.clear();
            }
        }
        return sums;
    }

    /** Adds the remaining bytes of {@code b} without moving its position. */
    public void update(ByteBuffer b) {
        size += b.remaining();
        md5.update(b.duplicate());
        if (crc != null) {
            crc.update(b.duplicate());
        }
    }

    public void update(byte[] b, int off, int len) {
        size += len;
        md5.update(b, off, len);
        if (crc != null) {
            crc.update(b, off, len);
        }
    }

    public long size() {
        return size;
    }

    /** The MD5 in lower-case hex. Call once, at the end. */
    public String md5Hex() {
        return HexFormat.of().formatHex(md5.digest());
    }

    /** The CRC-32 (-1 when made without it). */
    public long crc() {
        return crc == null ? -1 : crc.getValue();
    }

    /** An output stream that updates these checksums with every byte written through it to {@code out}. */
    public OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                update(new byte[] {(byte) b}, 0, 1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                update(b, off, len);
                out.write(b, off, len);
            }
        };
    }
}
