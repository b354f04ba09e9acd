package io.github.xnatreactive.core.internal;

import reactor.core.publisher.Flux;

/**
 * One concept on the path of a request, like an OkHttp interceptor: it may change the call, hand it to the rest of
 * the pipeline ({@link Chain#proceed}), and transform, retry or map what comes back. The order of the steps is
 * {@link Transport}'s constructor.
 */
interface Step {
    <T> Flux<T> handle(Call<T> call, Chain next);

    /** The steps after this one. */
    interface Chain {
        <T> Flux<T> proceed(Call<T> call);
    }
}
