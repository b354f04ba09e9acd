package io.github.xnatreactive.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What an import created: the URIs XNAT answered, one per session, each under {@code /data/prearchive/...} or
 * {@code /data/archive/...}.
 *
 * @param uris the session URIs, in the server's order
 */
public record ImportResult(List<String> uris) {
    /**
     * Creates the result and copies the list.
     *
     * @param uris the session URIs, in the server's order
     */
    public ImportResult {
        uris = List.copyOf(uris);
    }

    /**
     * The URIs of sessions that went to the prearchive.
     *
     * @return the {@code /data/prearchive/projects/{P}/{timestamp}/{session}} URIs
     */
    public List<String> prearchived() {
        return under("/data/prearchive/");
    }

    /**
     * The URIs of sessions that were archived.
     *
     * @return the {@code /data/archive/projects/{P}/subjects/{S}/experiments/{E}} URIs
     */
    public List<String> archived() {
        return under("/data/archive/");
    }

    private List<String> under(String prefix) {
        return uris.stream().filter(u -> u.startsWith(prefix)).toList();
    }

    static ImportResult parse(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            String l = line.strip();
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return new ImportResult(out);
    }
}
