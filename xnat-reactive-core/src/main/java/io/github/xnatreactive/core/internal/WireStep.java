package io.github.xnatreactive.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Step 5, the wire: one Reactor Netty {@link HttpClient} over the client's connection pool, configured once (TLS,
 * proxy, timeouts). Per request only the method, URI, headers, body and an optional response timeout change, so
 * the hot path builds no client configuration. Files go zero-copy on plain HTTP and in 256 KiB chunks off the event
 * loop over TLS (pooled direct buffers read from the file, no heap copy).
 */
final class WireStep implements Step {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    /** The largest slice of a response body handed on at once. */
    static final int MAX_CHUNK = 256 * 1024;

    private final String baseUrl;
    private final boolean secure;
    private final HttpClient http;
    private final Events events;

    WireStep(TransportConfig cfg, ConnectionProvider pool, Events events) {
        this.baseUrl = cfg.baseUrl();
        this.secure = cfg.secure();
        this.events = events;
        HttpClient c = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        cfg.connectTimeout().toMillis())
                .option(ChannelOption.SO_KEEPALIVE, true)
                // reads of up to 256 KiB when a body streams in (Netty's default stops at 64 KiB): a quarter of the
                // reads, buffers and hand-offs per megabyte; small replies still get small buffers
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_CHUNK))
                .responseTimeout(cfg.responseTimeout())
                // A body arrives in slices of at most this size (Netty's default is 8 KiB): larger slices mean
                // fewer buffers, hand-offs and writes per file; a slice never exceeds what one read received.
                .httpResponseDecoder(spec -> spec.maxChunkSize(MAX_CHUNK))
                .followRedirect(false);
        c = Tls.configure(c, cfg);
        if (cfg.proxy() != null) {
            c = cfg.proxy().apply(c);
        }
        this.http = c;
    }

    @Override
    public <T> Flux<T> handle(Call<T> call, Chain unused) {
        Request req = call.request;
        return Flux.defer(() -> {
            long start = System.nanoTime();
            events.started(call);
            return http.request(HttpMethod.valueOf(req.method))
                    .uri(baseUrl + req.uri())
                    .send((out, body) -> {
                        HttpHeaders h = out.requestHeaders();
                        for (Map.Entry<String, String> e : call.defaultHeaders) {
                            h.set(e.getKey(), e.getValue());
                        }
                        for (Map.Entry<String, String> e : req.headers) {
                            h.add(e.getKey(), e.getValue());
                        }
                        SessionStep.Login l = call.login;
                        if (l != null && l.cookie != null) {
                            h.set(HttpHeaderNames.COOKIE, "JSESSIONID=" + l.cookie);
                        } else if (l != null && l.basic != null) {
                            h.set(HttpHeaderNames.AUTHORIZATION, l.basic);
                        }
                        if (req.contentType != null) {
                            h.set(HttpHeaderNames.CONTENT_TYPE, req.contentType);
                        }
                        if (req.contentLength >= 0) {
                            h.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(req.contentLength));
                        }
                        if (call.options.responseTimeout() != null) {
                            out.responseTimeout(call.options.responseTimeout());
                        }
                        if (req.file != null) {
                            return secure ? body.send(readChunks(req.file)) : body.sendFile(req.file);
                        }
                        if (req.body != null) {
                            return body.send(req.body.get());
                        }
                        if (!req.method.equals("GET") && !req.method.equals("HEAD")) {
                            h.set(HttpHeaderNames.CONTENT_LENGTH, "0"); // no body, and no chunked encoding of none
                        }
                        return body;
                    })
                    .response((res, body) -> {
                        int status = res.status().code();
                        if (log.isDebugEnabled()) {
                            log.debug(
                                    "{} {} -> {} in {} ms",
                                    req.method,
                                    req.template,
                                    status,
                                    (System.nanoTime() - start) / 1_000_000);
                        }
                        events.response(call, status, start);
                        return call.reader.apply(res, body);
                    });
        });
    }

    /** Reads a file into 256 KiB pooled direct buffers off the event loop (TLS cannot use zero-copy). */
    private static Flux<ByteBuf> readChunks(Path file) {
        return Flux.using(
                        () -> FileChannel.open(file, StandardOpenOption.READ),
                        ch -> Flux.<ByteBuf>generate(sink -> {
                                    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(MAX_CHUNK);
                                    try {
                                        if (buf.writeBytes(ch, MAX_CHUNK) < 0) {
                                            buf.release();
                                            sink.complete();
                                        } else {
                                            sink.next(buf);
                                        }
                                    } catch (IOException e) {
                                        buf.release();
                                        sink.error(e);
                                    }
                                })
                                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease),
                        ch -> {
                            try {
                                ch.close();
                            } catch (IOException ignored) {
                                // closing a read channel
                            }
                        })
                .subscribeOn(Schedulers.boundedElastic());
    }
}
