package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * The prearchive, where imported sessions wait to be archived: listings, and refs to single sessions. Get it from
 * {@link XnatClient#prearchive()}. Filter the listings to find sessions by state or label:
 *
 * <pre>{@code
 * List<PrearchiveSession> ready = xnat.prearchive()
 *         .sessions("LAB")
 *         .filter(s -> s.status() == PrearchiveStatus.READY)
 *         .collectList()
 *         .block();
 * }</pre>
 */
public final class Prearchive {
    private final XnatClient client;

    Prearchive(XnatClient client) {
        this.client = client;
    }

    /**
     * Every prearchive session the user may see: {@code GET /data/prearchive/projects}.
     *
     * @return the sessions, as the server lists them
     */
    public Flux<PrearchiveSession> sessions() {
        return client.rows("/data/prearchive/projects", "/data/prearchive/projects", java.util.Map.of())
                .map(PrearchiveSession::from);
    }

    /**
     * The prearchive sessions of one project: {@code GET /data/prearchive/projects/{project}}.
     *
     * @param project the project's ID, or {@code Unassigned}
     * @return the sessions
     */
    public Flux<PrearchiveSession> sessions(String project) {
        return client.rows(
                        "/data/prearchive/projects/" + Uris.segment(project),
                        "/data/prearchive/projects/{project}",
                        java.util.Map.of())
                .map(PrearchiveSession::from);
    }

    /**
     * Names a prearchive session. No I/O.
     *
     * @param project the project's ID, or {@code Unassigned}
     * @param timestamp the upload's folder, e.g. {@code 20240102_101530123}
     * @param folder the session's folder
     * @return a ref to the session
     */
    public PrearchiveSessionRef session(String project, String timestamp, String folder) {
        return new PrearchiveSessionRef(
                client,
                Objects.requireNonNull(project),
                Objects.requireNonNull(timestamp),
                Objects.requireNonNull(folder));
    }

    /**
     * Names a prearchive session by the URI an import answered or a listing's {@code url}.
     *
     * @param uri {@code /data/prearchive/projects/{P}/{timestamp}/{folder}}, with or without {@code /data}
     * @return a ref to the session
     * @throws IllegalArgumentException for another kind of URI
     */
    public PrearchiveSessionRef session(String uri) {
        String u = uri.strip();
        if (u.startsWith("/data/")) {
            u = u.substring(5);
        }
        String[] p = u.split("/");
        if (p.length != 6 || !p[0].isEmpty() || !p[1].equals("prearchive") || !p[2].equals("projects")) {
            throw new IllegalArgumentException("Not a prearchive session URI: " + uri);
        }
        return session(decode(p[3]), decode(p[4]), decode(p[5]));
    }

    private static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Names the session of a listing row.
     *
     * @param session a row of {@link #sessions()}
     * @return a ref to it
     */
    public PrearchiveSessionRef session(PrearchiveSession session) {
        return session(session.project(), session.timestamp(), session.folderName());
    }
}
