package io.github.xnatreactive.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 100,000-row search result streams in constant memory: a client in a JVM with a 32 MiB heap reads every row of
 * a search for the 100,000 scans of a seeded testkit, counting them as they come; the same client collecting the
 * rows into a list runs out of that heap, which shows the bound is tight enough to tell the two apart.
 */
class BigSearchStreamingTest {
    static final int ROWS = 100_000;

    @RegisterExtension
    static XnatTestServerExtension server = new XnatTestServerExtension(
            b -> b.user("admin", "admin").seed(new SeedSpec("BIG", 100, 1, ROWS / 100, 0, 132)));

    @Test
    void aHundredThousandRowsStreamInABoundedHeap() throws Exception {
        Result streamed = child("stream");
        assertThat(streamed.exit()).as(streamed.output()).isZero();
        assertThat(streamed.output()).contains("rows=" + ROWS);

        Result collected = child("collect");
        assertThat(collected.exit()).as(collected.output()).isNotZero();
        assertThat(collected.output()).contains("OutOfMemoryError");
    }

    record Result(int exit, String output) {}

    private static Result child(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx32m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        server.server().baseUrl(),
                        mode)
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not end");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The client side, in its own JVM: streams (or collects) the rows of the big search and prints the count. */
    public static final class Child {
        private Child() {}

        /**
         * Runs the search.
         *
         * @param args the server's URL and {@code stream} or {@code collect}
         */
        public static void main(String[] args) {
            try (XnatClient xnat = XnatClient.builder()
                    .serverUrl(args[0])
                    .credentials(Credentials.password("admin", "admin"))
                    .build()) {
                SearchQuery scans = SearchQuery.of("xnat:mrScanData")
                        .fields("ID", "TYPE", "SERIES_DESCRIPTION", "QUALITY", "xnat:mrSessionData/LABEL");
                long rows;
                if (args[1].equals("stream")) {
                    rows = xnat.search().rows(scans).count().block();
                } else {
                    List<SearchRow> all =
                            xnat.search().rows(scans).collectList().block();
                    rows = all.size();
                }
                System.out.println("rows=" + rows);
            }
        }
    }
}
