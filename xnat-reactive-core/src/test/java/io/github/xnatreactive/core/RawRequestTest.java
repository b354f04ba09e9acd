package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Raw requests: every body kind in, every reply kind out, with the client's session and error mapping. */
class RawRequestTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    static final RecordingListener events = new RecordingListener();
    static XnatClient c;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(events)
                .build();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    static String files(String resource) {
        return "/data/projects/DEMO/resources/" + resource + "/files/";
    }

    @Test
    void jsonAndTextReplies() {
        JsonNode doc = c.request(XnatRequest.get("/data/projects").query("format", "json"))
                .json()
                .block();
        assertThat(doc.path("ResultSet").path("Result").path(0).path("ID").asString())
                .isEqualTo("DEMO");
        String text = c.request(XnatRequest.get("/data/projects/DEMO/accessibility"))
                .text()
                .block();
        assertThat(text.strip()).isEqualTo(c.project("DEMO").accessibility().block());
        // the old form still works and is the same request
        assertThat(c.request("GET", "/data/projects/DEMO/accessibility", Map.of())
                        .block())
                .isEqualTo(text);
        // and still takes a query written into the path
        assertThat(c.request("GET", "/data/projects?format=json&columns=ID", Map.of())
                        .block())
                .contains("\"ID\":\"DEMO\"");
    }

    @Test
    void bodiesOfBytesFileAndPublisherArriveWhole() throws Exception {
        byte[] small = "hello, raw world".getBytes(StandardCharsets.UTF_8);
        c.request(XnatRequest.put(files("RAW") + "a.txt")
                        .query("inbody", "true")
                        .header("X-Trace", "t1")
                        .body(small, "text/plain"))
                .discard()
                .block();
        Path file = Files.write(tmp.resolve("b.bin"), new byte[200_000]);
        c.request(XnatRequest.put(files("RAW") + "b.bin")
                        .query("inbody", "true")
                        .body(file, "application/octet-stream"))
                .discard()
                .block();
        byte[] streamed = new byte[70_000];
        new java.util.Random(7).nextBytes(streamed);
        Flux<ByteBuffer> parts = Flux.range(0, 7).map(i -> ByteBuffer.wrap(streamed, i * 10_000, 10_000));
        c.request(XnatRequest.put(files("RAW") + "c.bin")
                        .query("inbody", "true")
                        .body(parts, streamed.length, "application/octet-stream"))
                .discard()
                .block();

        assertThat(c.request(XnatRequest.get(files("RAW") + "a.txt")).bytes().block())
                .isEqualTo(small);
        assertThat(c.request(XnatRequest.get(files("RAW") + "b.bin")).bytes().block())
                .hasSize(200_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.request(XnatRequest.get(files("RAW") + "c.bin")).stream()
                .doOnNext(b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining()))
                .blockLast();
        assertThat(out.toByteArray()).isEqualTo(streamed);
        assertThat(c.project("DEMO")
                        .resource("RAW")
                        .files()
                        .map(FileEntry::path)
                        .collectList()
                        .block())
                .containsExactlyInAnyOrder("a.txt", "b.bin", "c.bin");
    }

    @Test
    void errorsMapAsForTypedCalls() {
        assertThatThrownBy(
                        () -> c.request(XnatRequest.get("/data/projects/NOPE").query("format", "json"))
                                .json()
                                .block())
                .isInstanceOf(XnatNotFoundException.class)
                .satisfies(e -> assertThat(((XnatNotFoundException) e).uri()).startsWith("/data/projects/NOPE"));
    }

    @Test
    void requestsAreImmutableAndRefuseTheClientsHeaders() {
        XnatRequest base = XnatRequest.get("/data/projects");
        XnatRequest withQuery =
                base.query("format", "json").query("options", "a").query("options", "b");
        assertThat(base.query()).isEmpty();
        assertThat(withQuery.query()).extracting(Map.Entry::getValue).containsExactly("json", "a", "b");
        assertThat(XnatRequest.of("post", "/x").method()).isEqualTo("POST");
        for (String h : List.of("Cookie", "authorization", "Content-Length", "Host")) {
            assertThatThrownBy(() -> base.header(h, "v")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> XnatRequest.get("data/projects")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XnatRequest.get("/data/projects?format=json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(base.query("alias", "secret").toString()).doesNotContain("secret");
    }

    @Test
    void rawRequestsAreEventsWithTheirPath() {
        List<Object> before = new CopyOnWriteArrayList<>(events.events);
        c.request(XnatRequest.get("/data/projects/DEMO/accessibility")).text().block();
        List<XnatEventListener.ResponseReceived> mine = events.of(XnatEventListener.ResponseReceived.class).stream()
                .filter(e -> !before.contains(e))
                .filter(e -> e.path().equals("/data/projects/DEMO/accessibility"))
                .toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).status()).isEqualTo(200);
        assertThat(mine.get(0).method()).isEqualTo("GET");
        assertThat(mine.get(0).attempt()).isEqualTo(1);
        assertThat(mine.get(0).duration()).isPositive();
    }
}
