package io.github.xnatreactive.bulk.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Files going to one place (a remote resource or a local folder), as one step of a streamed plan.
 *
 * @param prepare what the execution must do before the files move (create the subject, session, scan... at the
 *     destination; write a session's metadata file); never run by a dry run. Empty when nothing.
 * @param verify target path to MD5 digest, read after the transfers, or null when each transfer verifies itself
 * @param archive how the group's files can move as one archive, or null when only file by file
 */
public record Group(
        String name, List<Work> works, Mono<Void> prepare, Mono<Map<String, String>> verify, Archive archive) {
    /** A group that only prepares (nothing to move). */
    static Group step(String name, Mono<Void> prepare) {
        return new Group(name, List.of(), prepare, null, null);
    }

    /**
     * Moves some of a group's files as one archive. It tells {@code verified} of each file that ended up in place
     * and verified (size and MD5, at the target); the files it did not tell of move file by file afterwards. It may
     * fail part way: what it told of stays done.
     */
    public interface Archive {
        Mono<Void> run(List<Work> pending, Consumer<Work> verified);

        /**
         * Whether it moves exactly the files it is given, at the cost of those files only (an upload's zip), so that
         * a large group can move as several archives at once; false when every run reads the whole resource (a
         * download's or a mirror's zip).
         */
        default boolean partial() {
            return false;
        }
    }
}
