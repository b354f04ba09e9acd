package io.github.xnatreactive.bulk.internal;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * MD5 of several messages at once, one message per lane of a SIMD register (multi-buffer hashing): MD5 is a chain of
 * 32-bit additions, rotations and bitwise functions with no branch on the data, so 16 messages (AVX-512; 8 with
 * AVX2) go through the same instructions side by side, several times as fast as one message after another. The
 * digests are RFC 1321's, bit for bit (checked against the JDK's {@code MessageDigest} in {@code VectorMd5Test}).
 *
 * <p>Only {@link Md5Lanes} uses this class, and only when the JVM resolved {@code jdk.incubator.vector} (an
 * incubating module, resolved with {@code --add-modules jdk.incubator.vector}) and the lanes proved faster than the
 * JDK's MD5 on this machine.
 */
final class VectorMd5 {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;

    /** Messages hashed side by side. */
    static final int LANES = SPECIES.length();

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int[] IV = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

    /** Where each lane's block starts in the blocks as loaded (a row of 16 words per lane): word j's gather map. */
    private static final int[] ROWS = rows();

    private VectorMd5() {}

    /**
     * The MD5 of each message, a message being the bytes of its buffers, each from its position to its limit (the
     * buffers are not moved). Messages are taken in order into the lanes as lanes finish, so messages of different
     * lengths keep the lanes busy.
     */
    static byte[][] digest(List<ByteBuffer[]> messages) {
        int n = messages.size();
        byte[][] digests = new byte[n][];
        Lane[] lanes = new Lane[LANES];
        // each lane's next block is copied in bulk into its row of blocks (64 bytes), read as words in one copy, and
        // turned into columns (word j of every lane side by side) by one gather per word: 16 vector gathers per
        // compression where a word-by-word copy into columns took 16 reads and writes per lane
        byte[] blocks = new byte[64 * LANES];
        java.nio.IntBuffer blockWords =
                ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int[] rows = new int[16 * LANES];
        int[] words = new int[16 * LANES];
        int[] state = new int[4 * LANES];
        int[] work = new int[4 * LANES];
        int next = 0;
        int active = 0;
        for (int l = 0; l < LANES && next < n; l++) {
            lanes[l] = new Lane(next, messages.get(next++));
            start(l, state);
            active++;
        }
        while (active > 0) {
            for (int l = 0; l < LANES; l++) {
                if (lanes[l] != null) {
                    lanes[l].load(blocks, l);
                }
            }
            blockWords.get(0, rows, 0, rows.length);
            for (int j = 0; j < 16; j++) {
                IntVector.fromArray(SPECIES, rows, j, ROWS, 0).intoArray(words, j * LANES);
            }
            compress(words, state, work);
            for (int l = 0; l < LANES; l++) {
                Lane lane = lanes[l];
                if (lane == null || !lane.finished()) {
                    continue;
                }
                digests[lane.message] = bytes(state, l);
                if (next < n) {
                    lanes[l] = new Lane(next, messages.get(next++));
                    start(l, state);
                } else {
                    lanes[l] = null;
                    active--;
                }
            }
        }
        return digests;
    }

    private static int[] rows() {
        int[] map = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            map[l] = 16 * l;
        }
        return map;
    }

    private static void start(int l, int[] state) {
        for (int k = 0; k < 4; k++) {
            state[k * LANES + l] = IV[k];
        }
    }

    /** Lane {@code l}'s digest: a, b, c and d, little-endian. */
    private static byte[] bytes(int[] state, int l) {
        byte[] out = new byte[16];
        for (int k = 0; k < 4; k++) {
            LE_INT.set(out, 4 * k, state[k * LANES + l]);
        }
        return out;
    }

    /** One message's bytes, 64 at a time, then its padding (0x80, zeros, the length in bits). */
    private static final class Lane {
        final int message;
        private final ByteBuffer[] buffers;
        private final long length;
        private int buffer;
        private int at;
        private long left;
        private byte[] tail;
        private int tailAt;

        Lane(int message, ByteBuffer[] buffers) {
            this.message = message;
            this.buffers = new ByteBuffer[buffers.length];
            long total = 0;
            for (int i = 0; i < buffers.length; i++) {
                this.buffers[i] = buffers[i].duplicate().order(ByteOrder.LITTLE_ENDIAN);
                total += buffers[i].remaining();
            }
            this.length = total;
            this.left = total;
            this.at = this.buffers.length > 0 ? this.buffers[0].position() : 0;
            if (left < 64) {
                padding();
            }
        }

        /** Puts the next block's 64 bytes into row {@code l} of {@code blocks}. */
        void load(byte[] blocks, int l) {
            if (tail != null) {
                System.arraycopy(tail, tailAt, blocks, 64 * l, 64);
                tailAt += 64;
                return;
            }
            skipEmpty();
            ByteBuffer b = buffers[buffer];
            if (b.limit() - at >= 64) {
                b.get(at, blocks, 64 * l, 64);
                at += 64;
            } else {
                copy(blocks, 64 * l, 64); // a block across buffers
            }
            left -= 64;
            if (left < 64) {
                padding();
            }
        }

        /** Whether the block loaded last was the message's last. */
        boolean finished() {
            return tail != null && tailAt == tail.length;
        }

        /** The last bytes (fewer than 64) and the padding, as one or two blocks. */
        private void padding() {
            int rest = (int) left;
            tail = new byte[rest < 56 ? 64 : 128];
            copy(tail, 0, rest);
            tail[rest] = (byte) 0x80;
            long bits = length << 3;
            LE_INT.set(tail, tail.length - 8, (int) bits);
            LE_INT.set(tail, tail.length - 4, (int) (bits >>> 32));
        }

        /** Copies the next {@code n} bytes of the message, across buffers, into {@code dst} from {@code off}. */
        private void copy(byte[] dst, int off, int n) {
            int done = 0;
            while (done < n) {
                skipEmpty();
                ByteBuffer b = buffers[buffer];
                int k = Math.min(n - done, b.limit() - at);
                b.get(at, dst, off + done, k);
                at += k;
                done += k;
            }
        }

        private void skipEmpty() {
            while (at == buffers[buffer].limit()) {
                buffer++;
                at = buffers[buffer].position();
            }
        }
    }

    /**
     * RFC 1321's 64 steps on every lane: the block's words in {@code w} (word j of lane l at j * LANES + l), the
     * state in {@code state} (a, b, c, d, each LANES wide), {@code work} a scratch array of the same size. The four
     * rounds are four methods, each written out step by step: C1 gives up on one method of all 64 steps (out of
     * registers), and through helper methods per step C2 stops inlining the Vector API long before the last one, so
     * that every vector becomes an object again. Each round compiles to straight-line vector code.
     */
    private static void compress(int[] w, int[] state, int[] work) {
        System.arraycopy(state, 0, work, 0, 4 * LANES);
        round1(w, work);
        round2(w, work);
        round3(w, work);
        round4(w, work);
        for (int k = 0; k < 4 * LANES; k += LANES) {
            IntVector.fromArray(SPECIES, state, k)
                    .add(IntVector.fromArray(SPECIES, work, k))
                    .intoArray(state, k);
        }
    }

    /** Round 1 of RFC 1321 on every lane: a = b + ((a + F(b, c, d) + x[k] + t) <<< s), F(b, c, d) = d ^ (b & (c ^ d)). */
    private static void round1(int[] w, int[] v) {
        IntVector a = IntVector.fromArray(SPECIES, v, 0 * LANES);
        IntVector b = IntVector.fromArray(SPECIES, v, 1 * LANES);
        IntVector c = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector d = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector x0 = IntVector.fromArray(SPECIES, w, 0 * LANES);
        IntVector x1 = IntVector.fromArray(SPECIES, w, 1 * LANES);
        IntVector x2 = IntVector.fromArray(SPECIES, w, 2 * LANES);
        IntVector x3 = IntVector.fromArray(SPECIES, w, 3 * LANES);
        IntVector x4 = IntVector.fromArray(SPECIES, w, 4 * LANES);
        IntVector x5 = IntVector.fromArray(SPECIES, w, 5 * LANES);
        IntVector x6 = IntVector.fromArray(SPECIES, w, 6 * LANES);
        IntVector x7 = IntVector.fromArray(SPECIES, w, 7 * LANES);
        IntVector x8 = IntVector.fromArray(SPECIES, w, 8 * LANES);
        IntVector x9 = IntVector.fromArray(SPECIES, w, 9 * LANES);
        IntVector x10 = IntVector.fromArray(SPECIES, w, 10 * LANES);
        IntVector x11 = IntVector.fromArray(SPECIES, w, 11 * LANES);
        IntVector x12 = IntVector.fromArray(SPECIES, w, 12 * LANES);
        IntVector x13 = IntVector.fromArray(SPECIES, w, 13 * LANES);
        IntVector x14 = IntVector.fromArray(SPECIES, w, 14 * LANES);
        IntVector x15 = IntVector.fromArray(SPECIES, w, 15 * LANES);
        a = b.add(d.lanewise(XOR, b.and(c.lanewise(XOR, d)))
                .add(a)
                .add(x0)
                .add(0xd76aa478)
                .lanewise(ROL, 7));
        d = a.add(c.lanewise(XOR, a.and(b.lanewise(XOR, c)))
                .add(d)
                .add(x1)
                .add(0xe8c7b756)
                .lanewise(ROL, 12));
        c = d.add(b.lanewise(XOR, d.and(a.lanewise(XOR, b)))
                .add(c)
                .add(x2)
                .add(0x242070db)
                .lanewise(ROL, 17));
        b = c.add(a.lanewise(XOR, c.and(d.lanewise(XOR, a)))
                .add(b)
                .add(x3)
                .add(0xc1bdceee)
                .lanewise(ROL, 22));
        a = b.add(d.lanewise(XOR, b.and(c.lanewise(XOR, d)))
                .add(a)
                .add(x4)
                .add(0xf57c0faf)
                .lanewise(ROL, 7));
        d = a.add(c.lanewise(XOR, a.and(b.lanewise(XOR, c)))
                .add(d)
                .add(x5)
                .add(0x4787c62a)
                .lanewise(ROL, 12));
        c = d.add(b.lanewise(XOR, d.and(a.lanewise(XOR, b)))
                .add(c)
                .add(x6)
                .add(0xa8304613)
                .lanewise(ROL, 17));
        b = c.add(a.lanewise(XOR, c.and(d.lanewise(XOR, a)))
                .add(b)
                .add(x7)
                .add(0xfd469501)
                .lanewise(ROL, 22));
        a = b.add(d.lanewise(XOR, b.and(c.lanewise(XOR, d)))
                .add(a)
                .add(x8)
                .add(0x698098d8)
                .lanewise(ROL, 7));
        d = a.add(c.lanewise(XOR, a.and(b.lanewise(XOR, c)))
                .add(d)
                .add(x9)
                .add(0x8b44f7af)
                .lanewise(ROL, 12));
        c = d.add(b.lanewise(XOR, d.and(a.lanewise(XOR, b)))
                .add(c)
                .add(x10)
                .add(0xffff5bb1)
                .lanewise(ROL, 17));
        b = c.add(a.lanewise(XOR, c.and(d.lanewise(XOR, a)))
                .add(b)
                .add(x11)
                .add(0x895cd7be)
                .lanewise(ROL, 22));
        a = b.add(d.lanewise(XOR, b.and(c.lanewise(XOR, d)))
                .add(a)
                .add(x12)
                .add(0x6b901122)
                .lanewise(ROL, 7));
        d = a.add(c.lanewise(XOR, a.and(b.lanewise(XOR, c)))
                .add(d)
                .add(x13)
                .add(0xfd987193)
                .lanewise(ROL, 12));
        c = d.add(b.lanewise(XOR, d.and(a.lanewise(XOR, b)))
                .add(c)
                .add(x14)
                .add(0xa679438e)
                .lanewise(ROL, 17));
        b = c.add(a.lanewise(XOR, c.and(d.lanewise(XOR, a)))
                .add(b)
                .add(x15)
                .add(0x49b40821)
                .lanewise(ROL, 22));
        a.intoArray(v, 0 * LANES);
        b.intoArray(v, 1 * LANES);
        c.intoArray(v, 2 * LANES);
        d.intoArray(v, 3 * LANES);
    }

    /** Round 2 of RFC 1321 on every lane: a = b + ((a + G(b, c, d) + x[k] + t) <<< s), G(b, c, d) = c ^ (d & (b ^ c)). */
    private static void round2(int[] w, int[] v) {
        IntVector a = IntVector.fromArray(SPECIES, v, 0 * LANES);
        IntVector b = IntVector.fromArray(SPECIES, v, 1 * LANES);
        IntVector c = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector d = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector x0 = IntVector.fromArray(SPECIES, w, 0 * LANES);
        IntVector x1 = IntVector.fromArray(SPECIES, w, 1 * LANES);
        IntVector x2 = IntVector.fromArray(SPECIES, w, 2 * LANES);
        IntVector x3 = IntVector.fromArray(SPECIES, w, 3 * LANES);
        IntVector x4 = IntVector.fromArray(SPECIES, w, 4 * LANES);
        IntVector x5 = IntVector.fromArray(SPECIES, w, 5 * LANES);
        IntVector x6 = IntVector.fromArray(SPECIES, w, 6 * LANES);
        IntVector x7 = IntVector.fromArray(SPECIES, w, 7 * LANES);
        IntVector x8 = IntVector.fromArray(SPECIES, w, 8 * LANES);
        IntVector x9 = IntVector.fromArray(SPECIES, w, 9 * LANES);
        IntVector x10 = IntVector.fromArray(SPECIES, w, 10 * LANES);
        IntVector x11 = IntVector.fromArray(SPECIES, w, 11 * LANES);
        IntVector x12 = IntVector.fromArray(SPECIES, w, 12 * LANES);
        IntVector x13 = IntVector.fromArray(SPECIES, w, 13 * LANES);
        IntVector x14 = IntVector.fromArray(SPECIES, w, 14 * LANES);
        IntVector x15 = IntVector.fromArray(SPECIES, w, 15 * LANES);
        a = b.add(c.lanewise(XOR, d.and(b.lanewise(XOR, c)))
                .add(a)
                .add(x1)
                .add(0xf61e2562)
                .lanewise(ROL, 5));
        d = a.add(b.lanewise(XOR, c.and(a.lanewise(XOR, b)))
                .add(d)
                .add(x6)
                .add(0xc040b340)
                .lanewise(ROL, 9));
        c = d.add(a.lanewise(XOR, b.and(d.lanewise(XOR, a)))
                .add(c)
                .add(x11)
                .add(0x265e5a51)
                .lanewise(ROL, 14));
        b = c.add(d.lanewise(XOR, a.and(c.lanewise(XOR, d)))
                .add(b)
                .add(x0)
                .add(0xe9b6c7aa)
                .lanewise(ROL, 20));
        a = b.add(c.lanewise(XOR, d.and(b.lanewise(XOR, c)))
                .add(a)
                .add(x5)
                .add(0xd62f105d)
                .lanewise(ROL, 5));
        d = a.add(b.lanewise(XOR, c.and(a.lanewise(XOR, b)))
                .add(d)
                .add(x10)
                .add(0x02441453)
                .lanewise(ROL, 9));
        c = d.add(a.lanewise(XOR, b.and(d.lanewise(XOR, a)))
                .add(c)
                .add(x15)
                .add(0xd8a1e681)
                .lanewise(ROL, 14));
        b = c.add(d.lanewise(XOR, a.and(c.lanewise(XOR, d)))
                .add(b)
                .add(x4)
                .add(0xe7d3fbc8)
                .lanewise(ROL, 20));
        a = b.add(c.lanewise(XOR, d.and(b.lanewise(XOR, c)))
                .add(a)
                .add(x9)
                .add(0x21e1cde6)
                .lanewise(ROL, 5));
        d = a.add(b.lanewise(XOR, c.and(a.lanewise(XOR, b)))
                .add(d)
                .add(x14)
                .add(0xc33707d6)
                .lanewise(ROL, 9));
        c = d.add(a.lanewise(XOR, b.and(d.lanewise(XOR, a)))
                .add(c)
                .add(x3)
                .add(0xf4d50d87)
                .lanewise(ROL, 14));
        b = c.add(d.lanewise(XOR, a.and(c.lanewise(XOR, d)))
                .add(b)
                .add(x8)
                .add(0x455a14ed)
                .lanewise(ROL, 20));
        a = b.add(c.lanewise(XOR, d.and(b.lanewise(XOR, c)))
                .add(a)
                .add(x13)
                .add(0xa9e3e905)
                .lanewise(ROL, 5));
        d = a.add(b.lanewise(XOR, c.and(a.lanewise(XOR, b)))
                .add(d)
                .add(x2)
                .add(0xfcefa3f8)
                .lanewise(ROL, 9));
        c = d.add(a.lanewise(XOR, b.and(d.lanewise(XOR, a)))
                .add(c)
                .add(x7)
                .add(0x676f02d9)
                .lanewise(ROL, 14));
        b = c.add(d.lanewise(XOR, a.and(c.lanewise(XOR, d)))
                .add(b)
                .add(x12)
                .add(0x8d2a4c8a)
                .lanewise(ROL, 20));
        a.intoArray(v, 0 * LANES);
        b.intoArray(v, 1 * LANES);
        c.intoArray(v, 2 * LANES);
        d.intoArray(v, 3 * LANES);
    }

    /** Round 3 of RFC 1321 on every lane: a = b + ((a + H(b, c, d) + x[k] + t) <<< s), H(b, c, d) = b ^ c ^ d. */
    private static void round3(int[] w, int[] v) {
        IntVector a = IntVector.fromArray(SPECIES, v, 0 * LANES);
        IntVector b = IntVector.fromArray(SPECIES, v, 1 * LANES);
        IntVector c = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector d = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector x0 = IntVector.fromArray(SPECIES, w, 0 * LANES);
        IntVector x1 = IntVector.fromArray(SPECIES, w, 1 * LANES);
        IntVector x2 = IntVector.fromArray(SPECIES, w, 2 * LANES);
        IntVector x3 = IntVector.fromArray(SPECIES, w, 3 * LANES);
        IntVector x4 = IntVector.fromArray(SPECIES, w, 4 * LANES);
        IntVector x5 = IntVector.fromArray(SPECIES, w, 5 * LANES);
        IntVector x6 = IntVector.fromArray(SPECIES, w, 6 * LANES);
        IntVector x7 = IntVector.fromArray(SPECIES, w, 7 * LANES);
        IntVector x8 = IntVector.fromArray(SPECIES, w, 8 * LANES);
        IntVector x9 = IntVector.fromArray(SPECIES, w, 9 * LANES);
        IntVector x10 = IntVector.fromArray(SPECIES, w, 10 * LANES);
        IntVector x11 = IntVector.fromArray(SPECIES, w, 11 * LANES);
        IntVector x12 = IntVector.fromArray(SPECIES, w, 12 * LANES);
        IntVector x13 = IntVector.fromArray(SPECIES, w, 13 * LANES);
        IntVector x14 = IntVector.fromArray(SPECIES, w, 14 * LANES);
        IntVector x15 = IntVector.fromArray(SPECIES, w, 15 * LANES);
        a = b.add(b.lanewise(XOR, c)
                .lanewise(XOR, d)
                .add(a)
                .add(x5)
                .add(0xfffa3942)
                .lanewise(ROL, 4));
        d = a.add(a.lanewise(XOR, b)
                .lanewise(XOR, c)
                .add(d)
                .add(x8)
                .add(0x8771f681)
                .lanewise(ROL, 11));
        c = d.add(d.lanewise(XOR, a)
                .lanewise(XOR, b)
                .add(c)
                .add(x11)
                .add(0x6d9d6122)
                .lanewise(ROL, 16));
        b = c.add(c.lanewise(XOR, d)
                .lanewise(XOR, a)
                .add(b)
                .add(x14)
                .add(0xfde5380c)
                .lanewise(ROL, 23));
        a = b.add(b.lanewise(XOR, c)
                .lanewise(XOR, d)
                .add(a)
                .add(x1)
                .add(0xa4beea44)
                .lanewise(ROL, 4));
        d = a.add(a.lanewise(XOR, b)
                .lanewise(XOR, c)
                .add(d)
                .add(x4)
                .add(0x4bdecfa9)
                .lanewise(ROL, 11));
        c = d.add(d.lanewise(XOR, a)
                .lanewise(XOR, b)
                .add(c)
                .add(x7)
                .add(0xf6bb4b60)
                .lanewise(ROL, 16));
        b = c.add(c.lanewise(XOR, d)
                .lanewise(XOR, a)
                .add(b)
                .add(x10)
                .add(0xbebfbc70)
                .lanewise(ROL, 23));
        a = b.add(b.lanewise(XOR, c)
                .lanewise(XOR, d)
                .add(a)
                .add(x13)
                .add(0x289b7ec6)
                .lanewise(ROL, 4));
        d = a.add(a.lanewise(XOR, b)
                .lanewise(XOR, c)
                .add(d)
                .add(x0)
                .add(0xeaa127fa)
                .lanewise(ROL, 11));
        c = d.add(d.lanewise(XOR, a)
                .lanewise(XOR, b)
                .add(c)
                .add(x3)
                .add(0xd4ef3085)
                .lanewise(ROL, 16));
        b = c.add(c.lanewise(XOR, d)
                .lanewise(XOR, a)
                .add(b)
                .add(x6)
                .add(0x04881d05)
                .lanewise(ROL, 23));
        a = b.add(b.lanewise(XOR, c)
                .lanewise(XOR, d)
                .add(a)
                .add(x9)
                .add(0xd9d4d039)
                .lanewise(ROL, 4));
        d = a.add(a.lanewise(XOR, b)
                .lanewise(XOR, c)
                .add(d)
                .add(x12)
                .add(0xe6db99e5)
                .lanewise(ROL, 11));
        c = d.add(d.lanewise(XOR, a)
                .lanewise(XOR, b)
                .add(c)
                .add(x15)
                .add(0x1fa27cf8)
                .lanewise(ROL, 16));
        b = c.add(c.lanewise(XOR, d)
                .lanewise(XOR, a)
                .add(b)
                .add(x2)
                .add(0xc4ac5665)
                .lanewise(ROL, 23));
        a.intoArray(v, 0 * LANES);
        b.intoArray(v, 1 * LANES);
        c.intoArray(v, 2 * LANES);
        d.intoArray(v, 3 * LANES);
    }

    /** Round 4 of RFC 1321 on every lane: a = b + ((a + I(b, c, d) + x[k] + t) <<< s), I(b, c, d) = c ^ (b | ~d). */
    private static void round4(int[] w, int[] v) {
        IntVector a = IntVector.fromArray(SPECIES, v, 0 * LANES);
        IntVector b = IntVector.fromArray(SPECIES, v, 1 * LANES);
        IntVector c = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector d = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector x0 = IntVector.fromArray(SPECIES, w, 0 * LANES);
        IntVector x1 = IntVector.fromArray(SPECIES, w, 1 * LANES);
        IntVector x2 = IntVector.fromArray(SPECIES, w, 2 * LANES);
        IntVector x3 = IntVector.fromArray(SPECIES, w, 3 * LANES);
        IntVector x4 = IntVector.fromArray(SPECIES, w, 4 * LANES);
        IntVector x5 = IntVector.fromArray(SPECIES, w, 5 * LANES);
        IntVector x6 = IntVector.fromArray(SPECIES, w, 6 * LANES);
        IntVector x7 = IntVector.fromArray(SPECIES, w, 7 * LANES);
        IntVector x8 = IntVector.fromArray(SPECIES, w, 8 * LANES);
        IntVector x9 = IntVector.fromArray(SPECIES, w, 9 * LANES);
        IntVector x10 = IntVector.fromArray(SPECIES, w, 10 * LANES);
        IntVector x11 = IntVector.fromArray(SPECIES, w, 11 * LANES);
        IntVector x12 = IntVector.fromArray(SPECIES, w, 12 * LANES);
        IntVector x13 = IntVector.fromArray(SPECIES, w, 13 * LANES);
        IntVector x14 = IntVector.fromArray(SPECIES, w, 14 * LANES);
        IntVector x15 = IntVector.fromArray(SPECIES, w, 15 * LANES);
        a = b.add(c.lanewise(XOR, b.or(d.not())).add(a).add(x0).add(0xf4292244).lanewise(ROL, 6));
        d = a.add(b.lanewise(XOR, a.or(c.not())).add(d).add(x7).add(0x432aff97).lanewise(ROL, 10));
        c = d.add(a.lanewise(XOR, d.or(b.not())).add(c).add(x14).add(0xab9423a7).lanewise(ROL, 15));
        b = c.add(d.lanewise(XOR, c.or(a.not())).add(b).add(x5).add(0xfc93a039).lanewise(ROL, 21));
        a = b.add(c.lanewise(XOR, b.or(d.not())).add(a).add(x12).add(0x655b59c3).lanewise(ROL, 6));
        d = a.add(b.lanewise(XOR, a.or(c.not())).add(d).add(x3).add(0x8f0ccc92).lanewise(ROL, 10));
        c = d.add(a.lanewise(XOR, d.or(b.not())).add(c).add(x10).add(0xffeff47d).lanewise(ROL, 15));
        b = c.add(d.lanewise(XOR, c.or(a.not())).add(b).add(x1).add(0x85845dd1).lanewise(ROL, 21));
        a = b.add(c.lanewise(XOR, b.or(d.not())).add(a).add(x8).add(0x6fa87e4f).lanewise(ROL, 6));
        d = a.add(b.lanewise(XOR, a.or(c.not())).add(d).add(x15).add(0xfe2ce6e0).lanewise(ROL, 10));
        c = d.add(a.lanewise(XOR, d.or(b.not())).add(c).add(x6).add(0xa3014314).lanewise(ROL, 15));
        b = c.add(d.lanewise(XOR, c.or(a.not())).add(b).add(x13).add(0x4e0811a1).lanewise(ROL, 21));
        a = b.add(c.lanewise(XOR, b.or(d.not())).add(a).add(x4).add(0xf7537e82).lanewise(ROL, 6));
        d = a.add(b.lanewise(XOR, a.or(c.not())).add(d).add(x11).add(0xbd3af235).lanewise(ROL, 10));
        c = d.add(a.lanewise(XOR, d.or(b.not())).add(c).add(x2).add(0x2ad7d2bb).lanewise(ROL, 15));
        b = c.add(d.lanewise(XOR, c.or(a.not())).add(b).add(x9).add(0xeb86d391).lanewise(ROL, 21));
        a.intoArray(v, 0 * LANES);
        b.intoArray(v, 1 * LANES);
        c.intoArray(v, 2 * LANES);
        d.intoArray(v, 3 * LANES);
    }
}
