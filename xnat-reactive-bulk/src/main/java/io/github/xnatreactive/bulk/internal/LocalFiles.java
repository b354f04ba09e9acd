package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.core.internal.Md5;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/** Local file checks. Blocking: call them on a worker thread, never on an event loop. */
public final class LocalFiles {
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1 << 16));

    private LocalFiles() {}

    /**
     * A local file's size, MD5 and CRC-32, and the bytes they were computed from when the check kept them
     * ({@link #statAll(List, int, Budget)}), else null.
     */
    public record Stat(long size, String md5, long crc, byte[] bytes) {
        public Stat(long size, String md5, long crc) {
            this(size, md5, crc, null);
        }
    }

    /**
     * How many bytes of checked files a job keeps in memory at once, to send them without reading them again (an
     * archive upload's files): taken by {@link #statAll(List, int, Budget)}, given back by whoever drops the bytes.
     */
    static final class Budget {
        private final long max;
        private final java.util.concurrent.atomic.AtomicLong used = new java.util.concurrent.atomic.AtomicLong();

        Budget(long max) {
            this.max = max;
        }

        /** A job's budget: 64 MiB, or an eighth of the heap when that is less. */
        static Budget forJob() {
            return new Budget(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
        }

        boolean take(long n) {
            long u;
            do {
                u = used.get();
                if (u + n > max) {
                    return false;
                }
            } while (!used.compareAndSet(u, u + n));
            return true;
        }

        void give(long n) {
            used.addAndGet(-n);
        }

        long used() {
            return used.get();
        }
    }

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

    /** The largest file {@link #statAll} reads whole, to hash it in a SIMD lane beside others. */
    static final int LANE_FILE_MAX = 1 << 20;

    /**
     * {@link #statNow} of each file, the same figures; with {@code lanes} ({@link Md5Lanes#lanes()}; 0: one by one),
     * files of up to {@link #LANE_FILE_MAX} bytes are read whole, as many at a time as there are lanes, and hashed
     * together.
     */
    static Stat[] statAll(List<Path> files, int lanes) throws IOException {
        return statAll(files, lanes, null);
    }

    /**
     * As {@link #statAll(List, int)}; with a {@code keep} budget, each file of up to {@link #LANE_FILE_MAX} bytes
     * that the budget still has room for is read whole into an array of its own, hashed from it, and its
     * {@link Stat#bytes()} are those bytes (taken from the budget: the caller gives them back when it drops them).
     */
    static Stat[] statAll(List<Path> files, int lanes, Budget keep) throws IOException {
        Stat[] out = new Stat[files.size()];
        int together = lanes > 0 && files.size() >= Md5Lanes.MIN_BATCH ? lanes : 1;
        if (keep == null && together == 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] = statNow(files.get(i));
            }
            return out;
        }
        List<Integer> batch = new ArrayList<>(together);
        List<ByteBuffer[]> bytes = new ArrayList<>(together);
        ByteBuffer[] slots = new ByteBuffer[together]; // not kept: one buffer per lane, reused from batch to batch
        for (int i = 0; i < out.length; i++) {
            Path file = files.get(i);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                continue; // null, as statNow
            }
            ByteBuffer whole = null;
            if (a.isRegularFile() && a.size() <= LANE_FILE_MAX && keep == null) {
                int slot = batch.size();
                if (slots[slot] == null || slots[slot].capacity() <= a.size()) {
                    slots[slot] = ByteBuffer.allocateDirect((int) a.size() + 1); // read into without a copy
                }
                whole = readWhole(file, a.size(), slots[slot]);
            } else if (a.isRegularFile() && a.size() <= LANE_FILE_MAX && keep.take(a.size())) {
                whole = readExactly(file, (int) a.size());
                if (whole == null) {
                    keep.give(a.size());
                }
            }
            if (whole == null) {
                // large, no room left to keep it, or grown since: read as statNow reads (and not kept)
                out[i] = a.isRegularFile() ? statNow(file) : null;
                continue;
            }
            batch.add(i);
            bytes.add(new ByteBuffer[] {whole});
            if (batch.size() == together) {
                hash(batch, bytes, out, together > 1, keep != null);
            }
        }
        hash(batch, bytes, out, together > 1, keep != null);
        return out;
    }

    /**
     * Sizes, MD5s (in lanes, or one by one) and CRC-32s of the files read whole, into their places in {@code out},
     * each with its bytes when {@code kept} (arrays of their size: what the zip sends); clears both lists.
     */
    private static void hash(List<Integer> batch, List<ByteBuffer[]> bytes, Stat[] out, boolean lanes, boolean kept) {
        if (batch.isEmpty()) {
            return;
        }
        String[] md5;
        if (lanes) {
            md5 = Md5Lanes.hex(bytes);
        } else {
            md5 = new String[bytes.size()];
            for (int k = 0; k < md5.length; k++) {
                MessageDigest md = newMd5();
                md.update(bytes.get(k)[0].duplicate());
                md5[k] = HexFormat.of().formatHex(md.digest());
            }
        }
        for (int k = 0; k < md5.length; k++) {
            ByteBuffer b = bytes.get(k)[0];
            CRC32 crc = new CRC32();
            crc.update(b.duplicate());
            out[batch.get(k)] = new Stat(b.remaining(), md5[k], crc.getValue(), kept ? b.array() : null);
        }
        batch.clear();
        bytes.clear();
    }

    /**
     * The file's bytes to its end, read into {@code b} (of more than {@code size} bytes), or null when it holds more
     * than {@code size} bytes by now.
     */
    private static ByteBuffer readWhole(Path file, long size, ByteBuffer b) throws IOException {
        b.clear().limit((int) size + 1); // one more: a file that grew is seen as such
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // to the end, or to one byte past the size it had
            }
        }
        return b.position() > size ? null : b.flip();
    }

    /**
     * The file's {@code size} bytes in an array of that size, or null when it no longer holds exactly that many (a
     * read past them finds another byte, or the file ends before).
     */
    private static ByteBuffer readExactly(Path file, int size) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(new byte[size]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    return null; // shorter than it was
                }
            }
            if (ch.read(ByteBuffer.allocate(1)) > 0) {
                return null; // longer
            }
        }
        return b.flip();
    }

    /** Whether {@code file} exists with this size and digest (an unknown digest never matches). */
    public static boolean matchesNow(Path file, long size, String digest) throws IOException {
        return candidateNow(file, size, digest) && md5(file).equalsIgnoreCase(digest);
    }

    /**
     * Whether {@code file} could be the listed file of this size and digest, before reading it: a regular file of
     * that size, with a digest to compare (an unknown digest never matches).
     */
    static boolean candidateNow(Path file, long size, String digest) throws IOException {
        if (digest == null || digest.isEmpty()) {
            return false;
        }
        // most targets of a download do not exist yet: one stat without the NoSuchFileException (and its stack
        // trace) that readAttributes throws for each of them
        if (!file.toFile().exists()) {
            return false;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false;
        }
        return a.isRegularFile() && a.size() == size;
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

    /**
     * A download's temporary name beside the file NAME: {@code .NAME.<hex>.part} (the core SDK's) or
     * {@code .NAME.<uuid>.<n>.part} (an archive's extraction).
     */
    private static final java.util.regex.Pattern TEMPORARY_SUFFIX = java.util.regex.Pattern.compile(
            "(?:[0-9a-f]{1,16}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.[0-9]+)\\.part");

    /**
     * Removes what an earlier run that was killed left of the downloads of {@code works}: the temporary files of
     * their names ({@code .NAME.<hex>.part}) in their folders, and nothing else. A step of the execution (it runs
     * before the group's files move), never of planning. Two runs into one folder at the same time are not
     * supported: one would remove the other's temporaries.
     */
    static reactor.core.publisher.Mono<Void> removeStaleTemporaries(java.util.List<Work> works) {
        return reactor.core.publisher.Mono.<Void>fromRunnable(() -> {
                    java.util.Map<Path, java.util.Set<String>> names = new java.util.HashMap<>();
                    for (Work w : works) {
                        if (w instanceof Planners.DownloadWork d && d.target().getParent() != null) {
                            names.computeIfAbsent(d.target().getParent(), k -> new java.util.HashSet<>())
                                    .add(d.target().getFileName().toString());
                        }
                    }
                    names.forEach(LocalFiles::removeTemporaries);
                })
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
    }

    private static void removeTemporaries(Path dir, java.util.Set<String> names) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                boolean ours = false;
                for (String name : names) {
                    String prefix = "." + name + ".";
                    ours |= n.startsWith(prefix)
                            && TEMPORARY_SUFFIX
                                    .matcher(n.substring(prefix.length()))
                                    .matches();
                }
                if (ours && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot remove stale temporary files in " + dir, e);
        }
    }

    /** A new MD5 digest ({@link Md5#newDigest()}). */
    public static MessageDigest newMd5() {
        return Md5.newDigest();
    }
}
