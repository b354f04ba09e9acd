package io.github.xnatreactive.kafka;

import io.github.xnatreactive.kafka.internal.SessionRunner;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * A migration in one process with no broker: the plan's tasks go straight to the bulk engine, several sessions at
 * once, with the same attempts and results as a Kafka worker's. Nothing survives the process: a rerun starts over,
 * and the engine's sync semantics move only what is not at the destination yet.
 *
 * <p>Example: {@code EmbeddedMigration.run(MigrationPlan.mirror("j", src, dst).tasks(), (url, s) -> s ? src : dst,
 * MigrationOptions.defaults())}
 */
public final class EmbeddedMigration {
    private EmbeddedMigration() {}

    /**
     * Runs every task.
     *
     * @param tasks the sessions to move, e.g. {@link MigrationPlan#tasks()}
     * @param clients the clients of the servers the tasks name
     * @param options sessions at once, attempts, the bulk engine's options
     * @return each session's result as it ends (failed sessions too, with their causes); an error only when the
     *     tasks' listing fails
     */
    public static Flux<SessionResult> run(
            Flux<MigrationTask> tasks, MigrationClients clients, MigrationOptions options) {
        return run(tasks, clients, options, MigrationListener.NONE);
    }

    /**
     * Runs every task, telling {@code listener} of each session's progress.
     *
     * @param tasks the sessions to move
     * @param clients the clients of the servers the tasks name
     * @param options sessions at once, attempts, the bulk engine's options
     * @param listener told of the bulk engine's events; must not block
     * @return each session's result as it ends
     */
    public static Flux<SessionResult> run(
            Flux<MigrationTask> tasks, MigrationClients clients, MigrationOptions options, MigrationListener listener) {
        Objects.requireNonNull(tasks);
        return Flux.defer(() -> {
            SessionRunner runner = new SessionRunner(clients, options, "embedded", listener);
            return tasks.flatMap(runner::run, options.concurrency());
        });
    }
}
