package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.bulk.TransferItem;
import java.util.function.LongConsumer;
import reactor.core.publisher.Mono;

/** One file to move: a check whether it is already in place, and one attempt at moving it. */
public interface Work {
    TransferItem item();

    /** Whether the target already holds the same bytes (size and digest); then nothing is moved. */
    Mono<Boolean> upToDate();

    /** One attempt; reports bytes as they move. Retried by the engine on transient failures. */
    Mono<Void> transfer(LongConsumer bytes);

    /** The path of the file inside its target resource (for verification against the target listing). */
    default String targetPath() {
        return null;
    }

    /** The digest the target must end up with (for verification against the target listing). */
    default String expectedDigest() {
        return item().digest();
    }
}
