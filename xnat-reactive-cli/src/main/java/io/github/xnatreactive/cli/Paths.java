package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.XnatClient;
import java.util.List;

/** Turns a pyxnat-style path naming one object (no wildcards) into its ref. */
final class Paths {
    private Paths() {}

    static ArchiveRef one(XnatClient xnat, String path) {
        if (path.contains("*") || path.contains("?")) {
            throw new Cli.UsageException("this command takes one object: no wildcards in " + path);
        }
        List<ArchiveRef> refs;
        try {
            refs = xnat.select(path).collectList().block();
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        if (refs == null || refs.size() != 1) {
            throw new Cli.UsageException("the path must name one object: " + path);
        }
        return refs.get(0);
    }

    static FileRef file(XnatClient xnat, String path) {
        ArchiveRef r = one(xnat, path);
        if (!(r instanceof FileRef f)) {
            throw new Cli.UsageException("not a file path (.../resources/LABEL/files/NAME): " + path);
        }
        return f;
    }
}
