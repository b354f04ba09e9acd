package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.internal.Md5;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class Md5Test {
    private static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void everyNewDigestStartsFreshAndIsItsOwn() {
        MessageDigest a = Md5.newDigest();
        MessageDigest b = Md5.newDigest();
        assertThat(a).isNotSameAs(b);
        a.update("ab".getBytes(StandardCharsets.US_ASCII));
        b.update("xyz".getBytes(StandardCharsets.US_ASCII));
        a.update("c".getBytes(StandardCharsets.US_ASCII));
        // RFC 1321's test vectors: what one digest was given never shows in another, nor in a later one
        assertThat(hex(a)).isEqualTo("900150983cd24fb0d6963f7d28e17f72"); // "abc"
        assertThat(hex(b)).isEqualTo("d16fb36f0911f878998c136191af705e"); // "xyz"
        assertThat(hex(Md5.newDigest())).isEqualTo("d41d8cd98f00b204e9800998ecf8427e"); // ""
    }

    @Test
    void digestsMadeOnManyThreadsAtOnceAreCorrect() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> tasks = IntStream.range(0, 400)
                    .<Callable<String>>mapToObj(i -> () -> {
                        MessageDigest md = Md5.newDigest();
                        for (int k = 0; k < 1000; k++) {
                            md.update("abc".getBytes(StandardCharsets.US_ASCII), k % 3, 1);
                        }
                        return hex(md);
                    })
                    .toList();
            MessageDigest expected = MessageDigest.getInstance("MD5");
            for (int k = 0; k < 1000; k++) {
                expected.update("abc".getBytes(StandardCharsets.US_ASCII), k % 3, 1);
            }
            String want = hex(expected);
            for (Future<String> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isEqualTo(want);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
