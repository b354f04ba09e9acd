package io.github.xnatreactive.core.internal;

import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Turns a 2xx response into values. It must consume or cancel the body on every path (Netty buffers are released as
 * they are read). Error statuses and HTML pages never reach a reader: the error-mapping step handles them. The
 * readers the SDK uses are in {@link BodyReaders}.
 */
public interface BodyReader<T> extends BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> {
    /** This reader, each value turned into another with the response's status and headers at hand. */
    default <R> BodyReader<R> map(BiFunction<HttpClientResponse, T, R> f) {
        return (res, body) -> Flux.from(apply(res, body)).map(v -> f.apply(res, v));
    }
}
