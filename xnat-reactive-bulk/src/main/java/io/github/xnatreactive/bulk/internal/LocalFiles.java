package io.github.xnatreactive.bulk.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/** Local file checks. Blocking: call them on a worker thread, never on an event loop. */
public final class LocalFiles {
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1 << 16));

    private LocalFiles() {}

    /** A local file's size, MD5 and CRC-32. */
    public record Stat(long size, String md5, long crc) {}

    /** The file's size, MD5 and CRC-32 in one read, or null when it is not a regular file. */
    public static Stat statNow(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) {
            return null;
        }
        MessageDigest md = newMd5();
        CRC32 crc = new CRC32();
        read(file, md, crc);
        return new Stat(a.size(), HexFormat.of().formatHex(md.digest()), crc.getValue());
    }

    /** Whether {@code file} exists with this size and digest (an unknown digest never matches). */
    public static boolean matchesNow(Path file, long size, String digest) throws IOException {
        if (digest == null || digest.isEmpty()) {
            return false;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        }
        return a.isRegularFile() && a.size() == size && md5(file).equalsIgnoreCase(digest);
    }

    public static String md5(Path file) throws IOException {
        MessageDigest md = newMd5();
        read(file, md, null);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void read(Path file, MessageDigest md, CRC32 crc) throws IOException {
        ByteBuffer buf = BUFFER.get();
        buf.clear();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                if (crc != null) {
                    crc.update(buf.duplicate());
                }
                md.update(buf);
                buf.clear();
            }
        }
    }

    public static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
