package io.github.xnatreactive.bulk.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MD5 of many entries at once ({@link VectorMd5}, one entry per SIMD lane) when this JVM can do it fast, else one
 * after another with the JDK's {@code MessageDigest}. The digests are the same either way.
 *
 * <p>The lanes need the incubating module {@code jdk.incubator.vector} ({@code java --add-modules
 * jdk.incubator.vector}; the CLI's daemon runs with it) and C2-compiled code: interpreted, or compiled by C1 only, the
 * Vector API is a hundred times slower than the JDK's MD5. So the first use starts a background thread that checks
 * the lanes' digests against {@code MessageDigest} and times both on the same entries until the lanes win clearly
 * (1.5 times the JDK's speed, the best of five timings of each) or a minute has gone by; until then, every entry is hashed
 * by {@code MessageDigest}. A JVM still running tries again, for 15 s each time, 1, 5 and 15 minutes later (a JVM
 * busy with other work may not have compiled the lanes well within the first minute); after that, lanes that never
 * won are never used. The system property {@code xnat.reactive.md5.lanes}
 * changes that: {@code off} never uses the lanes, {@code on} uses them from the start whenever the module is there
 * (the bulk module's tests do, so that every transfer they make goes through the lanes).
 *
 * <p>Lanes once proven are watched as they work: the CPU time of every batch they hash is counted against the JDK's
 * speed measured when they were proven, and when a window of {@link #WATCH_BYTES} hashed took more than {@link
 * #SLOWER} times what the JDK's MD5 would have, the lanes are switched off (their compiled code can be thrown away by
 * the JIT later, a deoptimisation, and then run a hundred times slower for as long as it takes to compile them again;
 * a daemon was seen hashing a PROJECT download's 164 MB at a third of its usual speed for five downloads in a row).
 * One batch in {@link #SAMPLE_EVERY} is hashed both ways, the lanes and the JDK's MD5 timed on the same bytes, and
 * lanes slower than the JDK over a window of such batches are switched off too. They are proven again in the
 * background ({@link #MAX_REPROOFS} times at most in a JVM), and used again once they win.
 */
final class Md5Lanes {
    private static final Logger LOG = LoggerFactory.getLogger(Md5Lanes.class);

    /** Fewest entries worth the lanes; fewer are hashed one by one. */
    static final int MIN_BATCH = 4;

    private static final String MODULE = "jdk.incubator.vector";

    /** {@code off}: never the lanes; {@code on}: the lanes as soon as the module is there, unproven (tests). */
    private static final String SETTING = System.getProperty("xnat.reactive.md5.lanes", "auto");

    private static final long CALIBRATION_NANOS = 60_000_000_000L;

    /** A later try's time, once the JIT has had time to settle: a few seconds are enough for lanes that win. */
    private static final long RETRY_NANOS = 15_000_000_000L;

    /** The pauses before the later tries, when the first did not find the lanes faster in its minute. */
    private static final long[] RETRY_AFTER_SECONDS = {60, 300, 900};

    /**
     * Whether the JVM resolved the module (and it is not turned off). Checking the lanes themselves (the Vector API
     * of this release, wide enough vectors, RFC 1321's digests) costs about 0.1 s in a cold JVM, so the background
     * thread does it, not the first archive.
     */
    private static final boolean PRESENT = present();

    /** The lanes, once they proved faster than the JDK's MD5 here; 0 until then. */
    private static volatile int calibrated;

    /** The bytes over which the lanes' speed is judged while they work. */
    static final long WATCH_BYTES = 4L << 20;

    /**
     * Lanes slower than this many times the JDK's MD5 as timed when they were proven (CPU time per byte) are switched
     * off: lanes deoptimised, a hundred times slower than compiled. Not a finer judge (that is the sampled
     * comparison's job, on the same bytes): the proof timed the JDK on warm data in a quiet loop, and with a factor
     * of 2 a busy daemon's lanes were switched off four times within a second, then for good, though the proof
     * between found them 1.6 times faster than the JDK each time (its PROJECT uploads then hashed one by one).
     */
    static final double SLOWER = 8.0;

    /** One batch in this many is hashed both ways and timed, to compare the lanes with the JDK's MD5 at work. */
    static final int SAMPLE_EVERY = 16;

    /** How many times a JVM proves the lanes again after switching them off. */
    static final int MAX_REPROOFS = 3;

    /** The JDK's MD5 time per byte when the lanes were proven; 0 until they were (and when they are forced on). */
    private static volatile double jdkNanosPerByte;

    /**
     * The lanes' time over the JDK's on the proof's full batches (under 2/3, or they would not be proven): a batch
     * that would keep fewer of the lanes busy than this share (with a margin) is hashed one by one.
     */
    private static volatile double provenShare = 1;

    private static final Watch WATCH = new Watch(WATCH_BYTES, SLOWER);
    private static final Comparison SAMPLED = new Comparison(WATCH_BYTES);
    private static final java.util.concurrent.atomic.AtomicLong BATCHES = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicInteger REPROOFS =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static {
        if (PRESENT && SETTING.equals("on")) {
            calibrated = usable();
        } else if (PRESENT) {
            Thread t = new Thread(Md5Lanes::calibrate, "xnat-reactive-md5-lanes");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }

    private Md5Lanes() {}

    /** Entries hashed at once: 0 while the lanes are not (or not yet) faster than the JDK's MD5 in this JVM. */
    static int lanes() {
        return calibrated;
    }

    /** As {@link #lanes()}, but as soon as the module is there, proven fast or not (for tests). */
    static int lanesIfSupported() {
        return PRESENT ? usable() : 0;
    }

    /**
     * Whether {@code entries} keep enough of {@code lanes} busy to be hashed faster in them than one by one: the
     * lanes cost the same per block whether one lane works or all do, so a batch's cost in them is the number of
     * blocks its longest lane has to hash (at least its total over the lanes, at least its longest entry), and the
     * share of the lanes it keeps busy must be above {@code share} (the lanes' time over the JDK's on full batches),
     * with a quarter more as margin. The last few files of a resource (50 files in 16 lanes: a batch of 2) or one
     * large file with small ones would otherwise run at an eighth of the lanes' speed: slower than the JDK, and so
     * judged at work (a daemon switched its lanes off twice in its first minute on such batches, 9.6-10.0 ms against
     * the JDK's 6.1 ms for 4 MiB).
     */
    static boolean worthLanes(List<ByteBuffer[]> entries, int lanes, double share) {
        if (lanes <= 1 || entries.size() < MIN_BATCH) {
            return false;
        }
        long total = 0;
        long longest = 0;
        for (ByteBuffer[] e : entries) {
            long blocks = bytes(e) / 64 + 1;
            total += blocks;
            longest = Math.max(longest, blocks);
        }
        long rounds = Math.max((total + lanes - 1) / lanes, longest);
        double busy = (double) total / (rounds * lanes);
        return busy >= Math.min(1.0, share * 1.25);
    }

    /** The MD5 of each entry, as lower-case hex, an entry being its buffers' bytes (position to limit, not moved). */
    static String[] hex(List<ByteBuffer[]> entries) {
        double jdkRate = jdkNanosPerByte;
        byte[][] digests;
        if (jdkRate > 0 && calibrated == 0) {
            digests = jdk(entries); // switched off while they work (a batch sized for them may still come)
        } else if (jdkRate > 0 && !worthLanes(entries, calibrated, provenShare)) {
            digests = jdk(entries); // too few entries, or one much longer than the rest: most lanes would idle
        } else if (jdkRate > 0) {
            long batch = BATCHES.getAndIncrement();
            if (batch % SAMPLE_EVERY == 0) {
                digests = sampled(entries, (batch / SAMPLE_EVERY) % 2 == 1);
            } else {
                long t0 = THREADS.getCurrentThreadCpuTime();
                digests = VectorMd5.digest(entries);
                long spent = THREADS.getCurrentThreadCpuTime() - t0;
                if (WATCH.slow(bytes(entries), spent, jdkRate)) {
                    switchOff("over " + SLOWER + " times the JDK's time per byte when they were proven");
                }
            }
        } else {
            digests = VectorMd5.digest(entries);
        }
        String[] out = new String[digests.length];
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < digests.length; i++) {
            out[i] = hex.formatHex(digests[i]);
        }
        return out;
    }

    /**
     * A batch hashed both ways (the JDK's first when {@code jdkFirst}: the order alternates, so that neither always
     * finds the bytes in the cache), each timed; lanes slower than the JDK's MD5 over a window of such batches are
     * switched off, and lanes that give other digests than the JDK's are never used again.
     */
    private static byte[][] sampled(List<ByteBuffer[]> entries, boolean jdkFirst) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        byte[][] first = jdkFirst ? jdk(entries) : VectorMd5.digest(entries);
        long t1 = THREADS.getCurrentThreadCpuTime();
        byte[][] second = jdkFirst ? VectorMd5.digest(entries) : jdk(entries);
        long t2 = THREADS.getCurrentThreadCpuTime();
        byte[][] theirs = jdkFirst ? first : second;
        if (!Arrays.deepEquals(first, second)) {
            LOG.warn("The vector MD5 gave other digests than the JDK's: entries are hashed one by one");
            REPROOFS.set(MAX_REPROOFS); // not proven again
            switchOff("other digests than the JDK's");
            return theirs;
        }
        long jdkNanos = jdkFirst ? t1 - t0 : t2 - t1;
        long lanesNanos = jdkFirst ? t2 - t1 : t1 - t0;
        if (SAMPLED.slower(bytes(entries), lanesNanos, jdkNanos)) {
            switchOff("slower than the JDK's on the same batches (" + SAMPLED.last + ")");
        }
        return theirs;
    }

    /**
     * The lanes' time against the JDK's MD5 on the same batches, over windows of {@code windowBytes}: slower when a
     * window took the lanes more time than the JDK.
     */
    static final class Comparison {
        private final long windowBytes;
        private long bytes;
        private long lanes;
        private long jdk;
        /** The last window's figures, for the log. */
        private String last = "";

        Comparison(long windowBytes) {
            this.windowBytes = windowBytes;
        }

        /** Counts a batch; true when it completed a window in which the lanes were slower (it starts anew). */
        synchronized boolean slower(long batchBytes, long lanesNanos, long jdkNanos) {
            bytes += batchBytes;
            lanes += lanesNanos;
            jdk += jdkNanos;
            if (bytes < windowBytes) {
                return false;
            }
            boolean slower = lanes > jdk;
            last = bytes + " bytes in " + lanes + " ns against " + jdk + " ns";
            bytes = 0;
            lanes = 0;
            jdk = 0;
            return slower;
        }
    }

    private static long bytes(List<ByteBuffer[]> entries) {
        long n = 0;
        for (ByteBuffer[] e : entries) {
            n += bytes(e);
        }
        return n;
    }

    private static long bytes(ByteBuffer[] entry) {
        long n = 0;
        for (ByteBuffer b : entry) {
            n += b.remaining();
        }
        return n;
    }

    /** The lanes lost to the JDK's MD5 while they worked: hash one by one, and prove them again in the background. */
    private static synchronized void switchOff(String why) {
        if (calibrated == 0) {
            return;
        }
        calibrated = 0;
        boolean again = REPROOFS.incrementAndGet() <= MAX_REPROOFS;
        LOG.debug(
                "The vector MD5 was {}: entries are hashed one by one{}",
                why,
                again ? " until the lanes prove faster again" : "");
        if (again) {
            Thread t = new Thread(
                    () -> {
                        try {
                            prove(RETRY_NANOS);
                        } catch (LinkageError | RuntimeException e) {
                            LOG.debug("No vector MD5 in this JVM: {}", e.toString());
                        }
                    },
                    "xnat-reactive-md5-lanes");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }

    /**
     * The lanes' speed while they work, over windows of {@code windowBytes}: slow when a window took more than
     * {@code slower} times what the JDK's MD5 takes for as many bytes.
     */
    static final class Watch {
        private final long windowBytes;
        private final double slower;
        private long bytes;
        private long nanos;

        Watch(long windowBytes, double slower) {
            this.windowBytes = windowBytes;
            this.slower = slower;
        }

        /** Counts a batch; true when it completed a window that was too slow (the window starts anew either way). */
        synchronized boolean slow(long batchBytes, long batchNanos, double jdkNanosPerByte) {
            bytes += batchBytes;
            nanos += batchNanos;
            if (bytes < windowBytes) {
                return false;
            }
            boolean slow = nanos > slower * jdkNanosPerByte * bytes;
            bytes = 0;
            nanos = 0;
            return slow;
        }
    }

    private static boolean present() {
        Module vector = ModuleLayer.boot().findModule(MODULE).orElse(null);
        if (vector == null || SETTING.equals("off")) {
            return false;
        }
        // on the module path this module does not require the incubating one (it is rarely resolved): read it now
        Md5Lanes.class.getModule().addReads(vector);
        return true;
    }

    /** The lanes of this JVM's vectors, or 0 when they are too narrow to pay or the API is not the one built on. */
    private static int usable() {
        try {
            return VectorMd5.LANES >= 8 ? VectorMd5.LANES : 0; // 128-bit vectors: no faster than the JDK's MD5
        } catch (LinkageError | RuntimeException e) {
            // another release of the incubating API than the one this was built against
            LOG.debug("No vector MD5 in this JVM: {}", e.toString());
            return 0;
        }
    }

    private static void calibrate() {
        try {
            if (usable() > 0) {
                tries(Md5Lanes::prove, seconds -> Thread.sleep(seconds * 1000));
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("No vector MD5 in this JVM: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits a number of seconds. */
    interface Pause {
        void seconds(long n) throws InterruptedException;
    }

    /**
     * The tries: {@code prove} with a minute, then, while it is not decided, with 15 s after each pause of {@link
     * #RETRY_AFTER_SECONDS}. Not faster yet: in a JVM busy with other work the JIT may not have compiled the lanes
     * well in time (seen once in a few dozen starts of the CLI's daemon, whose first jobs kept the compiler busy), so
     * a resident JVM tries again later, briefly, instead of hashing one by one for good.
     */
    static void tries(java.util.function.LongPredicate prove, Pause pause) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            if (prove.test(attempt == 0 ? CALIBRATION_NANOS : RETRY_NANOS) || attempt == RETRY_AFTER_SECONDS.length) {
                return;
            }
            long seconds = RETRY_AFTER_SECONDS[attempt];
            LOG.debug("The vector MD5 is no faster than the JDK's yet: trying again in {} s", seconds);
            pause.seconds(seconds);
        }
    }

    /**
     * Checks the lanes' digests, then times them against the JDK's until they win clearly or {@code budget}
     * nanoseconds are up; true once decided (the lanes won, or gave other digests), false when time ran out.
     */
    private static boolean prove(long budget) {
        List<ByteBuffer[]> sample = sample(VectorMd5.LANES + 3, 0, 200);
        if (!Arrays.deepEquals(VectorMd5.digest(sample), jdk(sample))) {
            LOG.warn("The vector MD5 gave other digests than the JDK's: entries are hashed one by one");
            return true;
        }
        long deadline = System.nanoTime() + budget;
        List<ByteBuffer[]> small = sample(VectorMd5.LANES, 1024, 1024);
        List<ByteBuffer[]> timed = sample(VectorMd5.LANES, 16 << 10, 16 << 10);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 50; i++) {
                VectorMd5.digest(small); // cheap rounds, so that the JIT compiles the lanes soon
            }
            // the best of five timings of each: a thread preempted during one of them does not decide
            long lanes = Long.MAX_VALUE;
            long jdk = Long.MAX_VALUE;
            for (int k = 0; k < 5; k++) {
                long t0 = System.nanoTime();
                byte[][] ours = VectorMd5.digest(timed);
                long t1 = System.nanoTime();
                byte[][] theirs = jdk(timed);
                long t2 = System.nanoTime();
                if (!Arrays.deepEquals(ours, theirs)) {
                    LOG.warn("The vector MD5 gave other digests than the JDK's: entries are hashed one by one");
                    return true;
                }
                lanes = Math.min(lanes, t1 - t0);
                jdk = Math.min(jdk, t2 - t1);
            }
            if (lanes * 3 < jdk * 2) {
                provenShare = (double) lanes / jdk;
                jdkNanosPerByte = (double) jdk / bytes(timed);
                calibrated = VectorMd5.LANES;
                LOG.debug("MD5 of {} entries at once: {} ns against {} ns one by one", timed.size(), lanes, jdk);
                return true;
            }
        }
        LOG.debug("The vector MD5 is no faster than the JDK's in this JVM so far: entries are hashed one by one");
        return false;
    }

    /**
     * {@code n} entries of random bytes, of sizes from {@code min} to {@code max}, split across two buffers, of each
     * kind the engine hashes in turn: direct (a download's network buffers, an upload's unkept files), heap (an
     * upload's kept files) and read-only. The JIT compiles the lanes on what the proof gave them: proven on direct
     * buffers only, a daemon's lanes were thrown back to slower code by its first upload's heap buffers (a
     * deoptimisation) and then judged slower than the JDK on them (14.3 ms against 5.8 ms for 4 MiB) and switched
     * off.
     */
    static List<ByteBuffer[]> sample(int n, int min, int max) {
        SplittableRandom random = new SplittableRandom(n);
        List<ByteBuffer[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int size = min + (max > min ? random.nextInt(max - min + 1) : 0);
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            ByteBuffer all =
                    switch (i % 3) {
                        case 0 -> ByteBuffer.allocateDirect(size).put(bytes).flip();
                        case 1 -> ByteBuffer.wrap(bytes);
                        default ->
                            ByteBuffer.allocateDirect(size).put(bytes).flip().asReadOnlyBuffer();
                    };
            int cut = size / 3;
            out.add(new ByteBuffer[] {all.slice(0, cut), all.slice(cut, size - cut)});
        }
        return out;
    }

    private static byte[][] jdk(List<ByteBuffer[]> entries) {
        MessageDigest md = LocalFiles.newMd5();
        byte[][] out = new byte[entries.size()][];
        for (int i = 0; i < out.length; i++) {
            for (ByteBuffer b : entries.get(i)) {
                md.update(b.duplicate());
            }
            out[i] = md.digest();
        }
        return out;
    }
}
