package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatException;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;

/** Step 1, request defaults: the headers every request carries (User-Agent), and no request once closed. */
final class DefaultsStep implements Step {
    private final List<Map.Entry<String, String>> headers;
    private final BooleanSupplier closed;

    DefaultsStep(String userAgent, BooleanSupplier closed) {
        this.headers = List.of(Map.entry("User-Agent", userAgent));
        this.closed = closed;
    }

    @Override
    public <T> Flux<T> handle(Call<T> call, Chain next) {
        if (closed.getAsBoolean()) {
            return Flux.error(new XnatException("The client is closed"));
        }
        return next.proceed(call.withDefaultHeaders(headers));
    }
}
