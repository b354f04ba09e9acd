package io.github.xnatreactive.kafka;

import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a worker runs sessions: how many at once, how often a failing session is tried again before it goes to the
 * dead-letter topic, and the bulk engine's options for each session. Immutable: each method returns a new instance.
 *
 * <p>Example: {@code MigrationOptions.defaults().concurrency(4).attempts(3)}
 */
public final class MigrationOptions {
    private final int concurrency;
    private final int attempts;
    private final Duration backoff;
    private final TransferOptions transfer;
    private final Selection selection;

    private MigrationOptions(
            int concurrency, int attempts, Duration backoff, TransferOptions transfer, Selection selection) {
        this.concurrency = concurrency;
        this.attempts = attempts;
        this.backoff = backoff;
        this.transfer = transfer;
        this.selection = selection;
    }

    /**
     * Four sessions at once, three attempts a second apart (then one more second each time), the bulk engine's
     * defaults, every part of each session.
     *
     * @return the default options
     */
    public static MigrationOptions defaults() {
        return new MigrationOptions(4, 3, Duration.ofSeconds(1), TransferOptions.defaults(), Selection.all());
    }

    /**
     * Sessions a worker runs at once (each moves its files with {@link TransferOptions#concurrency()}).
     *
     * @param n at least 1
     * @return new options
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public MigrationOptions concurrency(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + n);
        }
        return new MigrationOptions(n, attempts, backoff, transfer, selection);
    }

    /**
     * Times a session is run before it is reported failed and sent to the dead-letter topic. Each run is a sync:
     * what an earlier run verified at the destination does not move again.
     *
     * @param n at least 1
     * @return new options
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public MigrationOptions attempts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + n);
        }
        return new MigrationOptions(concurrency, n, backoff, transfer, selection);
    }

    /**
     * The wait before a session's second run; it grows by the same amount before each later run.
     *
     * @param wait zero or more
     * @return new options
     * @throws IllegalArgumentException when {@code wait} is negative
     */
    public MigrationOptions backoff(Duration wait) {
        if (wait.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative: " + wait);
        }
        return new MigrationOptions(concurrency, attempts, wait, transfer, selection);
    }

    /**
     * The bulk engine's options for each session (files at once, retries per file, archive mode...).
     *
     * @param options the transfer options
     * @return new options
     */
    public MigrationOptions transfer(TransferOptions options) {
        return new MigrationOptions(concurrency, attempts, backoff, Objects.requireNonNull(options), selection);
    }

    /**
     * Which parts of each session move.
     *
     * @param selection the selection (default: everything)
     * @return new options
     */
    public MigrationOptions selection(Selection selection) {
        return new MigrationOptions(concurrency, attempts, backoff, transfer, Objects.requireNonNull(selection));
    }

    /**
     * Sessions at once.
     *
     * @return the number of sessions a worker runs at once
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Runs of a session before it fails.
     *
     * @return the number of attempts per session
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The wait before a session's second run.
     *
     * @return the backoff step
     */
    public Duration backoff() {
        return backoff;
    }

    /**
     * The bulk engine's options.
     *
     * @return the transfer options of each session
     */
    public TransferOptions transfer() {
        return transfer;
    }

    /**
     * Which parts of each session move.
     *
     * @return the selection
     */
    public Selection selection() {
        return selection;
    }

    @Override
    public String toString() {
        return "MigrationOptions[concurrency=" + concurrency + ", attempts=" + attempts + ", backoff=" + backoff
                + ", transfer=" + transfer + ", selection=" + selection + "]";
    }
}
