package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.UploadOptions;

/**
 * Not API: lets the bulk module send a request about a ref with a body reader of its own (zip extraction without a
 * copy) through the ref's client and its whole pipeline (session, retries, errors, events). The core package
 * installs the one accessor when {@link ArchiveRef} is initialized.
 */
public final class RefAccess {
    /** What the core package lends: a ref's client's transport and its path template. */
    public interface Accessor {
        /** The transport of the ref's client. */
        Transport transport(ArchiveRef ref);

        /** The ref's path template (for logs and metrics: no IDs). */
        String template(ArchiveRef ref);

        /** The PUT that uploads to {@code file} with {@code options} (its query), without its body yet. */
        Request.Builder upload(FileRef file, UploadOptions options);
    }

    private static volatile Accessor accessor;

    private RefAccess() {}

    /** Called once, by {@link ArchiveRef}'s static initializer. */
    public static void install(Accessor a) {
        if (accessor != null) {
            throw new IllegalStateException("already installed");
        }
        accessor = a;
    }

    /** The transport of {@code ref}'s client. */
    public static Transport transport(ArchiveRef ref) {
        return accessor.transport(ref);
    }

    /** The PUT that uploads to {@code file} with {@code options}, for a body of the caller's ({@code parts}...). */
    public static Request.Builder upload(FileRef file, UploadOptions options) {
        return accessor.upload(file, options);
    }

    /** A GET of {@code ref}'s path followed by {@code suffix} (e.g. {@code /files}), its template likewise. */
    public static Request.Builder get(ArchiveRef ref, String suffix) {
        return Request.get(ref.path() + suffix).template(accessor.template(ref) + suffix);
    }
}
