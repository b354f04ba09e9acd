package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.bulk.TransferItem;
import java.io.IOException;
import java.util.function.LongConsumer;
import reactor.core.publisher.Mono;

/** One file to move: a check whether it is already in place, and one attempt at moving it. */
public interface Work {
    TransferItem item();

    /**
     * Whether the target already holds the same bytes (size and digest); then nothing is moved. Blocking: the
     * engine calls it on a worker thread, for all the files of a group in one task.
     */
    boolean upToDate() throws IOException;

    /** One attempt; reports bytes as they move. Retried by the engine on transient failures. */
    Mono<Void> transfer(LongConsumer bytes);

    /**
     * The HTTP method whose safety decides whether an attempt may be repeated: {@code GET} for what reads the
     * server (downloads; mirrors, whose write overwrites), {@code PUT} for uploads.
     */
    default String method() {
        return "GET";
    }

    /**
     * Whether {@link #transfer} reports bytes as they arrive (downloads, mirrors), so that a stalled attempt can be
     * told from a slow one; an upload reports its bytes once the server has them all.
     */
    default boolean reportsProgress() {
        return "GET".equals(method());
    }

    /** The path of the file inside its target resource (for verification against the target listing). */
    default String targetPath() {
        return null;
    }

    /** The digest the target must end up with (for verification against the target listing). */
    default String expectedDigest() {
        return item().digest();
    }
}
