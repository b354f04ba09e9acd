package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MD5 of entries hashed side by side in SIMD lanes is the JDK's, for every length and every way of splitting. */
class VectorMd5Test {
    @Test
    void theTestsRunWithTheVectorApiAndEnoughLanes() {
        // the bulk module's tests add jdk.incubator.vector (its pom): without it, the lanes would go untested
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(VectorMd5.LANES).isGreaterThanOrEqualTo(8);
        assertThat(Md5Lanes.lanesIfSupported()).isEqualTo(VectorMd5.LANES);
    }

    @Test
    void rfc1321sTestSuiteGivesItsDigests() {
        String[] in = {
            "",
            "a",
            "abc",
            "message digest",
            "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890"
        };
        String[] want = {
            "d41d8cd98f00b204e9800998ecf8427e",
            "0cc175b9c0f1b6a831c399e269772661",
            "900150983cd24fb0d6963f7d28e17f72",
            "f96b697d7cb7938d525a2f31aaf161d0",
            "c3fcd3d76192e4007dfb496cca67e13b",
            "d174ab98d277d9f5a5611c2c9f419d9f",
            "57edf4a22be3c955ac49da2e2107b67a"
        };
        List<ByteBuffer[]> entries = new ArrayList<>();
        for (String s : in) {
            entries.add(new ByteBuffer[] {ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII))});
        }
        assertThat(Md5Lanes.hex(entries)).containsExactly(want);
    }

    @Test
    void everyLengthAroundTheBlockAndPaddingEdgesMatchesTheJdk() {
        // 0 to 300 bytes: all padding cases (55, 56, 63, 64, 119, 120 ...), more entries than lanes, so that lanes
        // that finish take the next entry while the others go on
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> data = new ArrayList<>();
        for (int len = 0; len <= 300; len++) {
            data.add(bytes(random, len));
        }
        assertSameAsJdk(data, random, false);
        assertSameAsJdk(data, random, true);
    }

    @Test
    void largeEntriesOfDifferentSizesSplitAnywhereAcrossBuffersMatchTheJdk() {
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 3 * VectorMd5.LANES + 5; i++) {
            data.add(bytes(random, random.nextInt(1, 600_000)));
        }
        assertSameAsJdk(data, random, true);
    }

    @Test
    void entriesInBuffersOfEveryKindHashedTogetherMatchTheJdk() {
        // a daemon hashes an upload's heap arrays and a download's direct network buffers with the same code: heap,
        // direct, read-only and sliced buffers (an array offset, a position) side by side in one batch
        SplittableRandom random = new SplittableRandom(13);
        List<byte[]> data = new ArrayList<>();
        List<ByteBuffer[]> entries = new ArrayList<>();
        for (int i = 0; i < 4 * VectorMd5.LANES + 3; i++) {
            byte[] d = bytes(random, random.nextInt(0, 70_000));
            data.add(d);
            ByteBuffer[] parts = split(d, random, random.nextBoolean());
            for (int p = 0; p < parts.length; p++) {
                parts[p] = switch (random.nextInt(4)) {
                    case 0 -> parts[p].asReadOnlyBuffer();
                    case 1 -> {
                        ByteBuffer padded = ByteBuffer.allocate(parts[p].remaining() + 10);
                        padded.position(7).put(parts[p].duplicate()).position(7).limit(7 + parts[p].remaining());
                        yield padded.slice().position(0);
                    }
                    default -> parts[p];
                };
            }
            entries.add(parts);
        }
        String[] got = Md5Lanes.hex(entries);
        for (int i = 0; i < data.size(); i++) {
            assertThat(got[i]).as("entry %d of %d bytes", i, data.get(i).length).isEqualTo(jdk(data.get(i)));
        }
    }

    @Test
    void aBatchGoesToTheLanesOnlyWhenItKeepsEnoughOfThemBusy() {
        // lanes 2.5 times as fast as the JDK's MD5 on full batches (share 0.4): worth it above half of them busy
        assertThat(Md5Lanes.worthLanes(entries(16, 16 << 10), 16, 0.4)).isTrue();
        assertThat(Md5Lanes.worthLanes(entries(8, 16 << 10), 16, 0.4)).isTrue();
        assertThat(Md5Lanes.worthLanes(entries(7, 16 << 10), 16, 0.4)).isFalse();
        assertThat(Md5Lanes.worthLanes(entries(2, 16 << 10), 16, 0.4)).isFalse(); // a resource's last files
        assertThat(Md5Lanes.worthLanes(entries(40, 16 << 10), 16, 0.4)).isTrue(); // 2.5 rounds of the lanes
        // one file a hundred times longer than fifteen others: the lanes would hash it alone for 99 % of the time
        List<ByteBuffer[]> uneven = entries(15, 1 << 10);
        uneven.add(new ByteBuffer[] {ByteBuffer.allocate(100 << 10)});
        assertThat(Md5Lanes.worthLanes(uneven, 16, 0.4)).isFalse();
        // lanes barely faster than the JDK (share 0.9): only full batches
        assertThat(Md5Lanes.worthLanes(entries(14, 16 << 10), 16, 0.9)).isFalse();
        assertThat(Md5Lanes.worthLanes(entries(16, 16 << 10), 16, 0.9)).isTrue();
        assertThat(Md5Lanes.worthLanes(entries(3, 16 << 10), 16, 0.0)).isFalse(); // below MIN_BATCH
    }

    private static List<ByteBuffer[]> entries(int n, int size) {
        List<ByteBuffer[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ByteBuffer[] {ByteBuffer.allocate(size)});
        }
        return out;
    }

    @Test
    void theProofHashesEachKindOfBufferTheEngineHashes() {
        // the lanes are compiled on what the proof gives them: each kind the engine hands them must be in it
        List<ByteBuffer[]> sample = Md5Lanes.sample(VectorMd5.LANES, 1024, 1024);
        assertThat(sample).anyMatch(e -> e[0].isDirect() && !e[0].isReadOnly());
        assertThat(sample).anyMatch(e -> !e[0].isDirect());
        assertThat(sample).anyMatch(e -> e[0].isReadOnly());
        assertThat(sample).allMatch(e -> e.length == 2 && e[0].remaining() + e[1].remaining() == 1024);
    }

    @Test
    void buffersAreReadFromTheirPositionsAndNotMoved() {
        byte[] all = bytes(new SplittableRandom(3), 5000);
        ByteBuffer a = ByteBuffer.allocateDirect(5000).put(all).position(100).limit(3000);
        ByteBuffer b = ByteBuffer.wrap(all).position(3000).limit(4900);
        List<ByteBuffer[]> one = List.<ByteBuffer[]>of(new ByteBuffer[] {a, b});
        String[] got = Md5Lanes.hex(one);
        assertThat(got[0]).isEqualTo(jdk(java.util.Arrays.copyOfRange(all, 100, 4900)));
        assertThat(a.position()).isEqualTo(100);
        assertThat(b.position()).isEqualTo(3000);
    }

    @Test
    void localFilesReadTogetherGiveWhatReadingEachAloneGives(@TempDir Path dir) throws Exception {
        // sizes around the block edges, one just above the largest read whole (read alone), a folder and a file that
        // is not there (no figures, as statNow), and more files than lanes
        SplittableRandom random = new SplittableRandom(5);
        List<Path> files = new ArrayList<>();
        int[] sizes = {0, 1, 55, 56, 64, 1000, LocalFiles.LANE_FILE_MAX, LocalFiles.LANE_FILE_MAX + 1, 70_000};
        for (int round = 0; round < 3; round++) {
            for (int size : sizes) {
                Path f = dir.resolve(round + "-" + size + ".dcm");
                Files.write(f, bytes(random, size));
                files.add(f);
            }
        }
        files.add(3, Files.createDirectory(dir.resolve("folder")));
        files.add(9, dir.resolve("missing.dcm"));

        LocalFiles.Stat[] together = LocalFiles.statAll(files, Md5Lanes.lanesIfSupported());
        assertThat(together).hasSize(files.size());
        for (int i = 0; i < files.size(); i++) {
            assertThat(together[i]).as(files.get(i).toString()).isEqualTo(LocalFiles.statNow(files.get(i)));
        }
        assertThat(together[3]).isNull();
        assertThat(together[9]).isNull();
    }

    private static void assertSameAsJdk(List<byte[]> data, SplittableRandom random, boolean direct) {
        List<ByteBuffer[]> entries = new ArrayList<>();
        for (byte[] d : data) {
            entries.add(split(d, random, direct));
        }
        String[] got = Md5Lanes.hex(entries);
        for (int i = 0; i < data.size(); i++) {
            assertThat(got[i]).as("entry %d of %d bytes", i, data.get(i).length).isEqualTo(jdk(data.get(i)));
        }
    }

    /** The bytes in one to five buffers cut at random places, some of them empty. */
    private static ByteBuffer[] split(byte[] d, SplittableRandom random, boolean direct) {
        int parts = random.nextInt(1, 6);
        List<ByteBuffer> out = new ArrayList<>();
        int at = 0;
        for (int p = 0; p < parts; p++) {
            int end = p == parts - 1 ? d.length : at + random.nextInt(d.length - at + 1);
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(end - at) : ByteBuffer.allocate(end - at);
            b.put(d, at, end - at).flip();
            out.add(b);
            at = end;
        }
        return out.toArray(ByteBuffer[]::new);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void aCalibrationThatDidNotWinInItsMinuteTriesAgainLaterBrieflyThreeTimesAtMost() throws Exception {
        List<Long> budgets = new ArrayList<>();
        List<Long> pauses = new ArrayList<>();
        // never faster: one minute, then 15 s after 1, 5 and 15 minutes, then no more
        Md5Lanes.tries(
                budget -> {
                    budgets.add(budget);
                    return false;
                },
                pauses::add);
        assertThat(budgets).containsExactly(60_000_000_000L, 15_000_000_000L, 15_000_000_000L, 15_000_000_000L);
        assertThat(pauses).containsExactly(60L, 300L, 900L);

        // faster at the second try: nothing after it
        budgets.clear();
        pauses.clear();
        Md5Lanes.tries(
                budget -> {
                    budgets.add(budget);
                    return budgets.size() == 2;
                },
                pauses::add);
        assertThat(budgets).hasSize(2);
        assertThat(pauses).containsExactly(60L);

        // decided at once (won, or wrong digests): no retry
        pauses.clear();
        Md5Lanes.tries(budget -> true, pauses::add);
        assertThat(pauses).isEmpty();
    }

    @Test
    void theWatchCallsTheLanesSlowOnlyForAWindowThatTookMoreThanTwiceTheJdksTime() {
        // the JDK's MD5 at 2 ns a byte; windows of 1,000 bytes; lanes slower than twice that are switched off
        Md5Lanes.Watch watch = new Md5Lanes.Watch(1_000, 2.0);
        for (int i = 0; i < 100; i++) {
            assertThat(watch.slow(250, 250, 2.0))
                    .as("lanes at 1 ns a byte, window " + i)
                    .isFalse();
        }
        // a window of 3.5 ns a byte: slower than the JDK's, within the margin
        assertThat(watch.slow(600, 2_100, 2.0)).isFalse();
        assertThat(watch.slow(400, 1_400, 2.0)).isFalse();
        // deoptimised lanes, a hundred times slower: judged when the window is full, not before
        assertThat(watch.slow(500, 100_000, 2.0)).isFalse();
        assertThat(watch.slow(500, 100_000, 2.0)).isTrue();
        // the next window starts anew
        assertThat(watch.slow(999, 999, 2.0)).isFalse();
        assertThat(watch.slow(1, 1, 2.0)).isFalse();
        // just over twice the JDK's time for the window
        assertThat(watch.slow(1_000, 4_001, 2.0)).isTrue();
    }

    @Test
    void theWatchAtWorkSwitchesOnlyDeoptimisedLanesOffAndTheSampledComparisonJudgesOnTheSameBytes() {
        // the factor the engine uses: lanes three times slower than the proof's JDK stay on, deoptimised ones go
        Md5Lanes.Watch watch = new Md5Lanes.Watch(1_000, Md5Lanes.SLOWER);
        assertThat(watch.slow(1_000, 6_000, 2.0)).isFalse();
        assertThat(watch.slow(1_000, 200_000, 2.0)).isTrue();

        // batches hashed both ways: slower only when a whole window took the lanes longer than the JDK
        Md5Lanes.Comparison c = new Md5Lanes.Comparison(1_000);
        assertThat(c.slower(600, 900, 1_000)).isFalse();
        assertThat(c.slower(400, 700, 600))
                .as("lanes 1,600 ns against the JDK's 1,600: not slower")
                .isFalse();
        assertThat(c.slower(999, 5_000, 1_000)).as("a window not full yet").isFalse();
        assertThat(c.slower(1, 1, 1)).isTrue();
        // the next window starts anew
        assertThat(c.slower(1_000, 1_000, 1_500)).isFalse();
    }

    private static String jdk(byte[] d) {
        MessageDigest md = LocalFiles.newMd5();
        return HexFormat.of().formatHex(md.digest(d));
    }
}
