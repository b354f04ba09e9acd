package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClientResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The ways the SDK reads a 2xx body, one each: text, nothing, a JSON document, result-set rows, bytes, a stream of
 * buffers, a verified file, and a stream for archive entries. Every ref reads through these.
 */
public final class BodyReaders {
    /** The SDK's JSON mapper (Jackson 3). */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** Bodies up to this size (by Content-Length) are received whole, then written to disk in one task. */
    public static final long SMALL_BODY = 1 << 20;

    private BodyReaders() {}

    /** The body as UTF-8 text ("" when empty). */
    public static BodyReader<String> text() {
        return (res, body) -> body.aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("");
    }

    /** Reads the body to its end and keeps nothing. */
    public static BodyReader<Void> discard() {
        return (res, body) -> body.then();
    }

    /** The body as bytes (empty array when empty). */
    public static BodyReader<byte[]> bytes() {
        return (res, body) -> body.aggregate().asByteArray().defaultIfEmpty(new byte[0]);
    }

    /** The body as a JSON document; invalid JSON is an {@link XnatProtocolException} naming {@code what}. */
    public static BodyReader<JsonNode> json(String what) {
        return (res, body) ->
                body.aggregate().asByteArray().defaultIfEmpty(new byte[0]).map(b -> parseJson(b, what));
    }

    /** Parses a JSON document; invalid JSON is an {@link XnatProtocolException} naming {@code what}. */
    public static JsonNode parseJson(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (tools.jackson.core.JacksonException e) {
            // Jackson's own message ends with "at [Source: REDACTED (...); line: 1, column: 2]": say it plainly
            tools.jackson.core.TokenStreamLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0
                    ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new XnatProtocolException("Invalid JSON from " + what + where + ": " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new XnatProtocolException("Invalid JSON from " + what + ": " + e.getMessage(), e);
        }
    }

    /** The rows of an XNAT result set ({@code {"ResultSet":{"Result":[...]}}}), streamed as they arrive. */
    public static BodyReader<Map<String, String>> rows() {
        return (res, body) -> ResultSetParser.rows(body);
    }

    /**
     * The body as fresh heap buffers the consumer owns. Make one per subscription: when an attempt is cut and the
     * request retried, the bytes already delivered are skipped in the new response, so the consumer sees each byte
     * once; a retried response of another length, and a body shorter than its Content-Length, are errors.
     */
    public static BodyReader<ByteBuffer> resumableBuffers(String what) {
        long[] delivered = {0};
        long[] firstLength = {-2};
        return (res, body) -> {
            long length = contentLength(res);
            if (firstLength[0] == -2) {
                firstLength[0] = length;
            } else if (length != firstLength[0]) {
                return body.then(Mono.error(new XnatProtocolException("The length of " + what
                        + " changed between attempts (" + firstLength[0] + ", then " + length + " bytes)")));
            }
            long[] skip = {delivered[0]};
            long[] received = {0};
            return body.handle((ByteBuf b, SynchronousSink<ByteBuffer> sink) -> {
                        int n = b.readableBytes();
                        received[0] += n;
                        int from = (int) Math.min(n, skip[0]);
                        skip[0] -= from;
                        if (from < n) {
                            ByteBuffer copy = ByteBuffer.allocate(n - from);
                            b.getBytes(b.readerIndex() + from, copy);
                            delivered[0] += n - from;
                            sink.next(copy.flip());
                        }
                    })
                    .concatWith(Mono.defer(() -> length >= 0 && received[0] != length
                            ? Mono.error(truncated(what, received[0], length))
                            : Mono.empty()));
        };
    }

    /**
     * Writes the body through {@code sink} to a temporary file and checks it against Content-Length (a shorter
     * body is a truncated transfer, retried like a dropped connection). Small bodies arrive whole and are written
     * in one worker task; larger ones stream. The caller then checks size and digest against what it expected and
     * moves the file into place ({@link DownloadSink#verifyAndMove}): that check is the caller's, outside the
     * client's retries, so that a caller owning the attempts (the bulk engine) decides about a mismatch.
     *
     * <p>Nothing beyond the expected size is written: a {@code Content-Length} other than {@code expectedSize}
     * fails before the body is read, and a body that goes on past {@code expectedSize} (or, when no size is known,
     * past {@code Content-Length}, or else {@code ceiling}) fails as soon as it does, its temporary file deleted.
     */
    public static BodyReader<DownloadSink.Written> file(
            DownloadSink sink, String what, long expectedSize, long ceiling) {
        return (res, body) -> {
            long length = contentLength(res);
            // (an HTML page is read far enough to be told for what it is: a login or error page, not a file)
            String type = res.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
            boolean html =
                    type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html");
            if (expectedSize >= 0 && length >= 0 && length != expectedSize && !html) {
                return Mono.error(new XnatIntegrityException(
                        "Size mismatch for " + what + ": the server sends another length than listed",
                        expectedSize + " bytes",
                        length + " bytes"));
            }
            Mono<DownloadSink.Written> written;
            if (length >= 0 && length <= SMALL_BODY) {
                written = sink.writeSmall(body);
            } else {
                DownloadSink.Limit limit = expectedSize >= 0
                        ? new DownloadSink.Limit(expectedSize, "listed size")
                        : length >= 0
                                ? new DownloadSink.Limit(length, "Content-Length")
                                : new DownloadSink.Limit(
                                        ceiling, "ceiling for a file of unknown size (unlistedDownloadLimit)");
                written = sink.write(body, limit, what);
            }
            return written.map(w -> {
                if (length >= 0 && w.size() != length) {
                    throw truncated(what, w.size(), length);
                }
                return w;
            });
        };
    }

    /** Something that reads a stream on a worker thread. */
    @FunctionalInterface
    public interface StreamConsumer<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Hands the body as an {@link InputStream} to {@code consumer} on a worker thread (for archive entries, which
     * {@code java.util.zip} reads from a stream); the body is cancelled if the consumer stops early.
     */
    public static <T> BodyReader<T> inputStream(StreamConsumer<T> consumer) {
        return buffers(q -> {
            try (BridgeInputStream in = new BridgeInputStream(q)) {
                return consumer.read(in);
            }
        });
    }

    /** Something that reads a body's buffers on a worker thread. */
    @FunctionalInterface
    public interface BufferConsumer<T> {
        T read(BufferQueue buffers) throws IOException;
    }

    /**
     * Hands the body's buffers, without a copy, to {@code consumer} on a worker thread (for zip extraction, which
     * hashes and writes each buffer where it lies); the consumer releases each buffer it takes, the body is
     * cancelled and what is still queued released if the consumer stops early.
     */
    public static <T> BodyReader<T> buffers(BufferConsumer<T> consumer) {
        return (res, body) -> Mono.defer(() -> {
            BufferQueue q = new BufferQueue(16);
            body.subscribe(q);
            return Mono.fromCallable(() -> consumer.read(q))
                    .subscribeOn(Schedulers.boundedElastic())
                    .doFinally(s -> q.cancel());
        });
    }

    /** The Content-Length of a response, -1 when absent or unreadable. */
    public static long contentLength(HttpClientResponse res) {
        String v = res.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static XnatProtocolException truncated(String what, long got, long length) {
        return new XnatProtocolException(
                "Truncated download of " + what + ": " + got + " of " + length + " bytes",
                new IOException("truncated"));
    }
}
