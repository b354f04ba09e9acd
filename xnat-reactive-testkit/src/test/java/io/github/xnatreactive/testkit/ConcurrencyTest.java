package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.internal.Store;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * 64 clients at once, each uploading its own files (raw and multipart, to a shared and to its own resource) and
 * downloading the others' files in lock-step rounds; afterwards every digest and every byte must be right.
 */
class ConcurrencyTest {
    private static final int CLIENTS = 64;
    private static final int ROUNDS = 4;
    private static final int SIZE = 256 * 1024;
    private static final String SESSION = "/data/projects/C/subjects/C_S001/experiments/C_S001_MR1";

    private static String path(int client, int round) {
        // even clients share one resource, odd ones each have their own
        String resource = client % 2 == 0 ? "SHARED" : "OWN" + client;
        return SESSION + "/resources/" + resource + "/files/c" + client + "/r" + round + ".bin";
    }

    private static byte[] content(int client, int round) {
        return FilesTest.bytes(SIZE, client * 1000L + round);
    }

    @Test
    void manyClientsUploadAndDownloadAtOnce() throws Exception {
        Path root = Files.createTempDirectory("concurrency-test-");
        try (XnatTestServer server = XnatTestServer.builder()
                .dataDir(root.resolve("data"))
                .seed(SeedSpec.parse("C:1x1x1x1x1K"))
                .start()) {
            TestHttp http = new TestHttp(server);
            CyclicBarrier barrier = new CyclicBarrier(CLIENTS);
            Map<String, String> uploaded = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    results.add(pool.submit(() -> {
                        int verified = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            byte[] mine = content(client, round);
                            HttpResponse<byte[]> up;
                            if ((client + round) % 2 == 0) {
                                up = http.put(path(client, round), "application/octet-stream", mine);
                            } else {
                                TestHttp.Multipart m = TestHttp.multipart(Map.of("r" + round + ".bin", mine), Map.of());
                                up = http.put(path(client, round), m.contentType(), m.body());
                            }
                            assertThat(up.statusCode()).as(TestHttp.text(up)).isEqualTo(200);
                            assertThat(up.body()).as("no duplicates").isEmpty();
                            uploaded.put(path(client, round), FilesTest.md5(mine));
                            barrier.await(60, TimeUnit.SECONDS);
                            // everyone has uploaded this round: read two other clients' files
                            for (int other : new int[] {(client + 1) % CLIENTS, (client + 17) % CLIENTS}) {
                                HttpResponse<byte[]> down = http.get(path(other, round));
                                assertThat(down.statusCode()).isEqualTo(200);
                                assertThat(down.body()).isEqualTo(content(other, round));
                                verified++;
                            }
                            barrier.await(60, TimeUnit.SECONDS);
                        }
                        return verified;
                    }));
                }
                int verified = 0;
                List<Throwable> failures = new ArrayList<>();
                for (Future<Integer> f : results) {
                    try {
                        verified += f.get(150, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        failures.add(e.getCause());
                    }
                }
                // report the first real failure, not the broken barriers it caused in the other clients
                failures.sort(Comparator.comparing(t ->
                        t instanceof BrokenBarrierException || t instanceof java.util.concurrent.TimeoutException));
                if (!failures.isEmpty()) {
                    throw new AssertionError(failures.size() + " of " + CLIENTS + " clients failed", failures.get(0));
                }
                assertThat(verified).isEqualTo(CLIENTS * ROUNDS * 2);
            } finally {
                pool.shutdownNow();
            }

            // every listed digest matches what was uploaded, every download is byte-exact
            assertThat(uploaded).hasSize(CLIENTS * ROUNDS);
            List<JsonNode> rows = TestHttp.rows(http.get(SESSION + "/files?format=json"));
            assertThat(rows).hasSize(CLIENTS * ROUNDS);
            for (JsonNode row : rows) {
                assertThat(row.get("Size").asString()).isEqualTo(Integer.toString(SIZE));
                String uri = row.get("URI").asString();
                String rel = uri.substring(uri.indexOf("/files/") + "/files/".length());
                String label = row.get("collection").asString();
                String urlPath = SESSION + "/resources/" + label + "/files/" + rel;
                assertThat(uploaded).containsEntry(urlPath, row.get("digest").asString());
                HttpResponse<byte[]> down = http.get(uri);
                assertThat(FilesTest.md5(down.body())).isEqualTo(uploaded.get(urlPath));
            }
            assertThat(TestHttp.rows(http.get(SESSION + "/resources/SHARED/files?format=json")))
                    .hasSize(CLIENTS / 2 * ROUNDS);

            // the server still answers, and nothing was written outside its data directory
            assertThat(http.get("/data/projects?format=json").statusCode()).isEqualTo(200);
            try (Stream<Path> s = Files.list(root)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("data");
            }
            // and the archive holds exactly one copy of each file (the uploads plus the one seeded file)
            assertThat(count(server.dataDir().resolve("archive"))).isEqualTo(CLIENTS * ROUNDS + 1);
        } finally {
            Store.deleteTree(root);
        }
    }

    static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
