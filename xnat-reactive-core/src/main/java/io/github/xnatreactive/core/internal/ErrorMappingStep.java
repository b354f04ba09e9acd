package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatHttpException;
import io.github.xnatreactive.core.XnatProtocolException;
import io.github.xnatreactive.core.XnatTransportException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;

/**
 * Step 4, error mapping: an error status becomes the matching {@link XnatHttpException} (with the message of
 * XNAT's error page and the Retry-After it sent); an HTML page on a 2xx becomes an {@link XnatProtocolException}
 * (XNAT answers some failures, such as its login page, with 200) unless the request asked for HTML or the reply is
 * an attachment (a file that is an HTML document); a failure below HTTP becomes an {@link XnatTransportException}.
 * This is the only place that sniffs for HTML; body readers see only real replies.
 */
final class ErrorMappingStep implements Step {
    /** Enough leading characters to tell an HTML page ({@code <!doctype html}). */
    private static final int SNIFF = 15;

    private final Events events;

    ErrorMappingStep(Events events) {
        this.events = events;
    }

    @Override
    public <T> Flux<T> handle(Call<T> call, Chain next) {
        Request req = call.request;
        BodyReader<T> reader = call.reader;
        BodyReader<T> mapped = (res, body) -> {
            int status = res.status().code();
            if (status >= 300) {
                String retryAfter = res.responseHeaders().get(HttpHeaderNames.RETRY_AFTER);
                return body.aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(text -> Mono.error(XnatHttpException.of(
                                req.method,
                                status,
                                req.redactedUri(),
                                message(status, text),
                                TransportFailures.parseRetryAfter(retryAfter))));
            }
            if (req.wantsHtml() || res.responseHeaders().contains(HttpHeaderNames.CONTENT_DISPOSITION)) {
                return reader.apply(res, body);
            }
            return reader.apply(res, ByteBufFlux.fromInbound(notHtml(body, req, status)));
        };
        long start = System.nanoTime();
        return next.proceed(call.withReader(mapped))
                .onErrorMap(
                        TransportFailures::isTransportFailure,
                        e -> new XnatTransportException(req.method, req.redactedUri(), e))
                .doOnError(e -> events.failed(call, e, start));
    }

    /**
     * Passes the body through while looking at its first characters; when they open an HTML page, the rest is read
     * as the page (for its message) and the body ends with an error instead of completing. Buffers are only read
     * here, never kept: Netty releases each after it is passed on.
     */
    private static Flux<ByteBuf> notHtml(Flux<ByteBuf> body, Request req, int status) {
        return Flux.defer(() -> {
            StringBuilder head = new StringBuilder();
            StringBuilder page = new StringBuilder();
            int[] state = {0}; // 0 sniffing, 1 not HTML, 2 HTML
            return body.<ByteBuf>handle((b, sink) -> {
                        if (state[0] == 2) {
                            page.append(b.toString(StandardCharsets.UTF_8));
                            return;
                        }
                        if (state[0] == 0) {
                            // the first bytes are enough: a large first buffer of a download is not decoded
                            String start = b.toString(
                                    b.readerIndex(), Math.min(b.readableBytes(), 64), StandardCharsets.UTF_8);
                            String seen = head + start;
                            if (seen.stripLeading().length() >= SNIFF) {
                                if (Html.looksLikeHtml(seen)) {
                                    state[0] = 2;
                                    page.append(head).append(b.toString(StandardCharsets.UTF_8));
                                    return;
                                }
                                state[0] = 1;
                            } else {
                                head.append(b.toString(StandardCharsets.UTF_8));
                            }
                        }
                        sink.next(b);
                    })
                    .concatWith(Mono.defer(() -> {
                        if (state[0] == 2 || (state[0] == 0 && Html.looksLikeHtml(head))) {
                            return Mono.error(
                                    htmlOn2xx(req, status, state[0] == 2 ? page.toString() : head.toString()));
                        }
                        return Mono.empty();
                    }));
        });
    }

    static XnatProtocolException htmlOn2xx(Request req, int status, String text) {
        String m = Html.message(text);
        return new XnatProtocolException(req.method + " " + req.redactedUri() + " answered " + status
                + " with an HTML page where XNAT sends data" + (m.isEmpty() ? "" : " (" + m + ")")
                + "; is the URL an XNAT server, and are the credentials accepted?");
    }

    private static String message(int status, String body) {
        String m = Html.message(body);
        if (status == 302 && m.isEmpty()) {
            return "XNAT redirected to its login page";
        }
        return m;
    }
}
