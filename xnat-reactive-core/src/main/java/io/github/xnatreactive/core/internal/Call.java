package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One request on its way down the {@link Pipeline}: what to send, how to read the reply, and what the steps above
 * decided for it (retry policy, timeout, default headers, the login, the attempt number). Immutable; a step that
 * changes something passes a copy to the next.
 */
final class Call<T> {
    /** What the caller's subscription chose: a retry policy, a response timeout, a retry callback. */
    record Options(RetryPolicy policy, Duration responseTimeout, Consumer<Throwable> onRetry) {}

    final Request request;
    final BodyReader<T> reader;
    final Options options;
    final List<Map.Entry<String, String>> defaultHeaders;
    final SessionStep.Login login;
    final int attempt;
    /** The request as a whole, shared by all its attempts (null for the client's own login and logout). */
    final Exchange exchange;

    private Call(
            Request request,
            BodyReader<T> reader,
            Options options,
            List<Map.Entry<String, String>> defaultHeaders,
            SessionStep.Login login,
            int attempt,
            Exchange exchange) {
        this.request = request;
        this.reader = reader;
        this.options = options;
        this.defaultHeaders = defaultHeaders;
        this.login = login;
        this.attempt = attempt;
        this.exchange = exchange;
    }

    static <T> Call<T> of(Request request, BodyReader<T> reader, Options options) {
        return new Call<>(request, reader, options, List.of(), null, 1, null);
    }

    Call<T> withReader(BodyReader<T> r) {
        return new Call<>(request, r, options, defaultHeaders, login, attempt, exchange);
    }

    Call<T> withDefaultHeaders(List<Map.Entry<String, String>> h) {
        return new Call<>(request, reader, options, h, login, attempt, exchange);
    }

    Call<T> withLogin(SessionStep.Login l) {
        return new Call<>(request, reader, options, defaultHeaders, l, attempt, exchange);
    }

    Call<T> withExchange(Exchange e) {
        return new Call<>(request, reader, options, defaultHeaders, login, attempt, e);
    }

    Call<T> withAttempt(int n) {
        return new Call<>(request, reader, options, defaultHeaders, login, n, exchange);
    }
}
