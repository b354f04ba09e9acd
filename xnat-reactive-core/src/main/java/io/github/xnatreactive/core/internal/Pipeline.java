package io.github.xnatreactive.core.internal;

import java.util.List;
import reactor.core.publisher.Flux;

/** Steps in order; the last one (the wire) sends the request and ignores the chain it is given. */
final class Pipeline implements Step.Chain {
    private final Step step;
    private final Pipeline rest;

    private Pipeline(List<Step> steps, int i) {
        this.step = steps.get(i);
        this.rest = i + 1 < steps.size() ? new Pipeline(steps, i + 1) : null;
    }

    static Pipeline of(Step... steps) {
        if (steps.length == 0) {
            throw new IllegalArgumentException("no steps");
        }
        return new Pipeline(List.of(steps), 0);
    }

    @Override
    public <T> Flux<T> proceed(Call<T> call) {
        return step.handle(call, rest);
    }

    @Override
    public String toString() {
        return step.getClass().getSimpleName() + (rest == null ? "" : " -> " + rest);
    }
}
