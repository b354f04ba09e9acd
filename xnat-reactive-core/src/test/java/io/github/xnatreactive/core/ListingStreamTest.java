package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.core.internal.ResultSetParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** The incremental listing parser, alone and end to end over a server that streams rows without end. */
class ListingStreamTest {
    static final String LISTING = "{\"ResultSet\":{\"Columns\":[{\"key\":\"URI\",\"serverRoot\":\"\"}],"
            + "\"Result\":[{\"ID\":\"P1\",\"name\":\"Caf\u00e9 \\\"quoted\\\" \u6f22\u5b57\",\"URI\":\"/data/projects/P1\"},"
            + "{\"ID\":\"P2\",\"name\":\"\",\"n\":3,\"f\":1.5,\"b\":true,\"z\":null},"
            + "{\"ID\":\"P3\",\"nested\":{\"a\":[1,{\"b\":\"c\"}],\"ID\":\"WRONG\"},\"arr\":[\"x\",\"y\"],\"after\":\"ok\"}"
            + "],\"totalRecords\":\"3\",\"title\":\"Projects\"}}";

    static final List<Map<String, String>> EXPECTED = List.of(
            Map.of("ID", "P1", "name", "Caf\u00e9 \"quoted\" \u6f22\u5b57", "URI", "/data/projects/P1"),
            Map.of("ID", "P2", "name", "", "n", "3", "f", "1.5", "b", "true", "z", ""),
            Map.of("ID", "P3", "after", "ok"));

    static List<Map<String, String>> parse(byte[]... chunks) {
        ResultSetParser p = new ResultSetParser();
        List<Map<String, String>> rows = new ArrayList<>();
        for (byte[] c : chunks) {
            ByteBuf b = Unpooled.wrappedBuffer(c);
            try {
                rows.addAll(p.feed(b));
            } finally {
                b.release();
            }
        }
        rows.addAll(p.finish());
        return rows;
    }

    @Test
    void everySplitGivesTheSameRows() {
        byte[] all = LISTING.getBytes(StandardCharsets.UTF_8);
        assertThat(parse(all)).isEqualTo(EXPECTED);
        for (int i = 0; i <= all.length; i++) {
            List<Map<String, String>> rows =
                    parse(Arrays.copyOfRange(all, 0, i), Arrays.copyOfRange(all, i, all.length));
            assertThat(rows).as("split at byte %d", i).isEqualTo(EXPECTED);
        }
        byte[][] single = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            single[i] = new byte[] {all[i]};
        }
        assertThat(parse(single)).isEqualTo(EXPECTED);
    }

    @Test
    void rowsComeOutAsSoonAsTheyAreComplete() {
        ResultSetParser p = new ResultSetParser();
        String json = "{\"ResultSet\":{\"Result\":[{\"ID\":\"A\"},{\"ID\":\"B\"";
        List<Map<String, String>> first = p.feed(json.getBytes(StandardCharsets.UTF_8));
        assertThat(first).containsExactly(Map.of("ID", "A"));
        assertThat(p.feed("}]}}".getBytes(StandardCharsets.UTF_8))).containsExactly(Map.of("ID", "B"));
        assertThat(p.finish()).isEmpty();
    }

    @Test
    void emptyResultIsFine() {
        assertThat(parse("{\"ResultSet\":{\"Result\":[],\"totalRecords\":\"0\"}}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void truncatedJsonIsAProtocolError() {
        byte[] all = LISTING.getBytes(StandardCharsets.UTF_8);
        for (int cut : new int[] {1, 20, all.length / 2, all.length - 1}) {
            assertThatThrownBy(() -> parse(Arrays.copyOfRange(all, 0, cut)))
                    .as("cut at %d", cut)
                    .isInstanceOf(XnatProtocolException.class);
        }
        assertThatThrownBy(() -> parse(new byte[0]))
                .isInstanceOf(XnatProtocolException.class)
                .hasMessageContaining("Empty");
    }

    @Test
    void htmlAndOtherShapesAreProtocolErrors() {
        assertThatThrownBy(() -> parse(
                        "<!DOCTYPE html><html><body><h3>Login</h3></body></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(XnatProtocolException.class)
                .hasMessageContaining("HTML");
        assertThatThrownBy(() -> parse("{\"items\":[{\"data_fields\":{}}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(XnatProtocolException.class);
        assertThatThrownBy(
                        () -> parse("{\"ResultSet\":{\"Result\":[{\"a\":\"1\",}]}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(XnatProtocolException.class);
    }

    @Test
    void fluxOfBuffersReleasesAndParses() {
        byte[] all = LISTING.getBytes(StandardCharsets.UTF_8);
        List<ByteBuf> bufs = new ArrayList<>();
        for (int i = 0; i < all.length; i += 7) {
            bufs.add(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, i, Math.min(all.length, i + 7))));
        }
        StepVerifier.create(ResultSetParser.rows(Flux.fromIterable(bufs)), 0)
                .thenRequest(1)
                .expectNext(EXPECTED.get(0))
                .thenRequest(2)
                .expectNext(EXPECTED.get(1), EXPECTED.get(2))
                .verifyComplete();
        bufs.forEach(ByteBuf::release);
    }

    // ------------------------------------------------------------------ end to end

    /** A server that answers the login and streams {@code rows} listing rows (-1: without end) lazily. */
    static final class StreamingServer implements AutoCloseable {
        final AtomicLong generated = new AtomicLong();
        final Sinks.Empty<Void> cancelled = Sinks.empty();
        final DisposableServer server;

        StreamingServer(long rows) {
            server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .route(r -> r.get("/data/JSESSION", (req, res) -> res.header(
                                            "Set-Cookie", "JSESSIONID=stream1; Path=/")
                                    .sendString(Flux.just("stream1")))
                            .get("/data/projects", (req, res) -> res.header("Content-Type", "application/json")
                                    .send(body(rows))))
                    .bindNow();
        }

        private Flux<ByteBuf> body(long rows) {
            Flux<ByteBuf> chunks = Flux.<ByteBuf, Long>generate(() -> 0L, (i, sink) -> {
                        if (rows >= 0 && i >= rows) {
                            sink.complete();
                            return i;
                        }
                        long end = rows < 0 ? i + 1000 : Math.min(rows, i + 1000);
                        StringBuilder sb = new StringBuilder(40 * 1000);
                        for (long k = i; k < end; k++) {
                            if (k > 0) {
                                sb.append(',');
                            }
                            sb.append("{\"ID\":\"P").append(k).append("\",\"label\":\"x\"}");
                        }
                        generated.set(end);
                        sink.next(Unpooled.wrappedBuffer(sb.toString().getBytes(StandardCharsets.US_ASCII)));
                        return end;
                    })
                    .doOnCancel(() -> cancelled.tryEmitEmpty());
            return Flux.concat(
                    Flux.just(
                            Unpooled.wrappedBuffer("{\"ResultSet\":{\"Result\":[".getBytes(StandardCharsets.US_ASCII))),
                    chunks,
                    Flux.defer(() -> Flux.just(
                            Unpooled.wrappedBuffer("],\"totalRecords\":\"\"}}".getBytes(StandardCharsets.US_ASCII)))));
        }

        XnatClient client() {
            return XnatClient.builder()
                    .serverUrl("http://127.0.0.1:" + server.port())
                    .credentials(Credentials.password("u", "p"))
                    .build();
        }

        @Override
        public void close() {
            server.disposeNow();
        }
    }

    @Test
    void rowsFlowBeforeTheBodyEndsAndCancelStopsTheServer() {
        try (StreamingServer s = new StreamingServer(-1);
                XnatClient c = s.client()) {
            StepVerifier.create(c.projects().take(25))
                    .expectNextCount(24)
                    .assertNext(p -> assertThat(p.id()).isEqualTo("P24"))
                    .verifyComplete();
            // the endless listing was cancelled on the server (block fails if that never happens)
            s.cancelled.asMono().block(Duration.ofSeconds(30));
            assertThat(s.generated.get()).isGreaterThanOrEqualTo(25);
        }
    }

    @Test
    void aMillionRowsAreCountedWithoutKeepingThem() {
        try (StreamingServer s = new StreamingServer(1_000_000);
                XnatClient c = s.client()) {
            assertThat(c.projects().count().block(Duration.ofSeconds(60))).isEqualTo(1_000_000L);
            assertThat(s.generated.get()).isEqualTo(1_000_000L);
        }
    }
}
