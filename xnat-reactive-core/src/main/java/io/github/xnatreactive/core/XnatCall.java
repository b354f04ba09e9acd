package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * A raw request ready to send ({@link XnatClient#request(XnatRequest)}): choose how to read the reply. Each method
 * returns a cold publisher; every subscription sends the request anew. An error status, an HTML page instead of
 * data and a transport failure are errors as for every other call ({@link XnatHttpException},
 * {@link XnatProtocolException}, {@link XnatTransportException}).
 *
 * <pre>{@code
 * String code = xnat.request(XnatRequest.get("/data/projects/P1/prearchive_code")).text().block(); // "0"
 * JsonNode doc = xnat.request(XnatRequest.get("/data/projects/P1").query("format", "json")).json().block();
 * String name = doc.at("/items/0/data_fields/name").asString();
 * long size = xnat.request(XnatRequest.get(dicom + "/files/P1_S001_MR1.1.1.dcm")) // dicom: a resource's path
 *         .stream()
 *         .reduce(0L, (n, buffer) -> n + buffer.remaining())
 *         .block(); // 4096
 * }</pre>
 */
public final class XnatCall {
    private final Transport transport;
    private final XnatRequest request;

    XnatCall(Transport transport, XnatRequest request) {
        this.transport = transport;
        this.request = request;
    }

    /**
     * Sends the request and reads the reply's body as text.
     *
     * @return the body of the 2xx reply decoded as UTF-8; {@code ""} when the body is empty, never an empty Mono
     */
    public Mono<String> text() {
        return build().flatMap(transport::text);
    }

    /**
     * Sends the request and parses the reply's body as JSON (ask XNAT for it, e.g. with {@code format=json}).
     *
     * @return the parsed document; an {@link XnatProtocolException} when the body is not JSON (XNAT's HTML login
     *     or error page, say)
     */
    public Mono<JsonNode> json() {
        return build().flatMap(transport::json);
    }

    /**
     * Sends the request and reads the whole reply's body into memory; for large files use {@link #stream()}.
     *
     * @return the body's bytes, an empty array when the body is empty
     */
    public Mono<byte[]> bytes() {
        return build().flatMap(r -> transport.exchange(r, BodyReaders.bytes()).next());
    }

    /**
     * The reply's body as it streams, each a fresh heap buffer the consumer owns. When an attempt is cut and
     * retried, the bytes already delivered are skipped, so each byte arrives once.
     *
     * @return the body's bytes in order, completing when the body ends; no buffer when the body is empty
     */
    public Flux<ByteBuffer> stream() {
        return build().flatMapMany(r -> transport.exchange(r, BodyReaders.resumableBuffers(r.template)));
    }

    /**
     * Sends the request and ignores the reply's body (it is read and released, not kept).
     *
     * @return completes empty on a 2xx reply; errors as the other methods do
     */
    public Mono<Void> discard() {
        return build().flatMap(transport::discard);
    }

    private Mono<Request> build() {
        return Mono.defer(() -> {
            Request.Builder b = Request.method(request.method(), request.path()).template(request.path());
            request.query().forEach(e -> b.param(e.getKey(), e.getValue()));
            request.headers().forEach(e -> b.header(e.getKey(), e.getValue()));
            XnatRequest.Body body = request.body();
            if (body instanceof XnatRequest.BytesBody bytes) {
                byte[] data = bytes.bytes();
                b.body(bytes.contentType(), data.length, () -> Mono.fromSupplier(() -> Unpooled.wrappedBuffer(data)));
            } else if (body instanceof XnatRequest.PublisherBody pub) {
                b.idempotent(false).body(pub.contentType(), pub.length(), () -> Flux.from(pub.content())
                        .map(buf -> (ByteBuf) Unpooled.wrappedBuffer(buf)));
            } else if (body instanceof XnatRequest.FileBody file) {
                return Mono.fromCallable(() -> Files.size(file.file()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorMap(IOException.class, e -> new UncheckedIOException("Cannot read " + file.file(), e))
                        .map(size ->
                                b.file(file.contentType(), file.file(), size).build());
            }
            return Mono.just(b.build());
        });
    }

    /** Method and path only. */
    @Override
    public String toString() {
        return "XnatCall[" + request.method() + " " + request.path() + "]";
    }
}
