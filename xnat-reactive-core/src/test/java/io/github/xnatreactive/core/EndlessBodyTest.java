package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A server cannot fill the disk: a file listed at 1,000 bytes whose body never ends (chunked, no length) is read
 * only up to its listed size; one whose Content-Length differs from the listing is refused before its body; with
 * no size known at all, the client's ceiling applies. Each fails with an integrity error and leaves no file.
 */
class EndlessBodyTest {
    static final int CHUNK = 64 * 1024;

    /** Counts what the endless body sent, to show that the client stopped reading early. */
    final AtomicLong sent = new AtomicLong();

    StubServer endless() {
        return new StubServer((req, res) -> req.receive()
                .then(res.status(200)
                        .header("Content-Type", "application/octet-stream")
                        .send(Flux.<io.netty.buffer.ByteBuf>generate(sink -> {
                                    sent.addAndGet(CHUNK);
                                    sink.next(Unpooled.wrappedBuffer(new byte[CHUNK]));
                                })
                                .take(200_000)) // 12 GiB at most, should the client never stop
                        .then()));
    }

    XnatClient client(StubServer s, long ceiling) {
        return XnatClient.builder()
                .serverUrl(s.baseUrl())
                .credentials(Credentials.password("u", "p"))
                .retryPolicy(RetryPolicy.none())
                .unlistedDownloadLimit(ceiling)
                .build();
    }

    static long filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aBodyLongerThanTheListedSizeIsCutAtThatSize(@TempDir Path tmp) throws Exception {
        try (StubServer s = endless();
                XnatClient c = client(s, XnatClient.DEFAULT_UNLISTED_DOWNLOAD_LIMIT)) {
            FileRef f = c.project("P").resource("R").file("a.dcm");
            assertThatThrownBy(() -> f.download(tmp.resolve("a.dcm"), 1000, "").block())
                    .isInstanceOf(XnatIntegrityException.class)
                    .hasMessageContaining("more than the listed size");
            assertThat(filesIn(tmp)).as("no file, no temporary file").isZero();
            assertThat(sent.get())
                    .as("bytes the server could send before the client hung up")
                    .isLessThan(64L << 20);
        }
    }

    @Test
    void withNoSizeKnownTheClientsCeilingApplies(@TempDir Path tmp) throws Exception {
        try (StubServer s = endless();
                XnatClient c = client(s, 3 * CHUNK)) {
            FileRef f = c.project("P").resource("R").file("a.dcm");
            assertThatThrownBy(() -> f.download(tmp.resolve("a.dcm"), -1, "").block())
                    .isInstanceOf(XnatIntegrityException.class)
                    .hasMessageContaining("unlistedDownloadLimit");
            assertThat(filesIn(tmp)).isZero();
        }
    }

    @Test
    void aContentLengthOtherThanTheListedSizeIsRefusedBeforeTheBody(@TempDir Path tmp) throws Exception {
        try (StubServer s = new StubServer((req, res) -> req.receive()
                        .then(res.status(200)
                                .header("Content-Length", Integer.toString(8 << 20))
                                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(new byte[8 << 20])))
                                .then()));
                XnatClient c = client(s, XnatClient.DEFAULT_UNLISTED_DOWNLOAD_LIMIT)) {
            FileRef f = c.project("P").resource("R").file("a.dcm");
            assertThatThrownBy(() -> f.download(tmp.resolve("a.dcm"), 1000, "").block())
                    .isInstanceOf(XnatIntegrityException.class)
                    .hasMessageContaining("another length than listed");
            assertThat(filesIn(tmp)).isZero();
        }
    }
}
