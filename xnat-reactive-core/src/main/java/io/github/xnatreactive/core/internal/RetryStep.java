package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Step 2, retry: asks the call's {@link RetryPolicy} (the client's, or the one the subscription put in its context)
 * whether a failed attempt is tried again and when, then waits on the client's scheduler. A failed login is never
 * retried here: the login retried on its own already, and retrying would multiply the attempts.
 */
final class RetryStep implements Step {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private final Scheduler scheduler;
    private final Events events;

    RetryStep(Scheduler scheduler, Events events) {
        this.scheduler = scheduler;
        this.events = events;
    }

    @Override
    public <T> Flux<T> handle(Call<T> call, Chain next) {
        Request req = call.request;
        RetryPolicy policy = call.options.policy();
        AtomicInteger attempt = new AtomicInteger(1);
        return Flux.defer(() -> next.proceed(call.withAttempt(attempt.get())))
                .retryWhen(Retry.from(signals -> signals.concatMap(rs -> {
                    Throwable failure = rs.failure();
                    int made = attempt.get();
                    if (failure instanceof SessionStep.LoginFailed
                            || !policy.retryable(req.method, req.idempotent, -1, failure)) {
                        return Mono.error(failure);
                    }
                    Duration delay = policy.delayBeforeRetry(made, failure).orElse(null);
                    if (delay == null) {
                        return Mono.error(failure);
                    }
                    log.debug(
                            "retrying {} {} in {} ms after: {}",
                            req.method,
                            req.template,
                            delay.toMillis(),
                            failure.toString());
                    call.options.onRetry().accept(failure);
                    return Mono.<Long>create(sink -> {
                        // the wait is on the scheduler before anyone hears of it, so that a test moving virtual
                        // time on after the event cannot move it past a wait not yet scheduled
                        sink.onDispose(scheduler.schedule(
                                () -> {
                                    attempt.incrementAndGet();
                                    sink.success(0L);
                                },
                                delay.toMillis(),
                                TimeUnit.MILLISECONDS));
                        events.retry(call, made, delay, failure);
                    });
                })))
                .onErrorMap(SessionStep.LoginFailed.class, Throwable::getCause);
    }
}
