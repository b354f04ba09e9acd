package io.github.xnatreactive.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What XNAT's catalog refresh ({@code POST /data/services/refresh/catalog}) does to a resource's catalog: compute
 * missing checksums, drop entries whose files are gone ({@code delete}), add files found on disk but not catalogued
 * ({@code append}), and recount file count and size ({@code populateStats}). Immutable: each setter returns a new
 * object.
 *
 * <pre>{@code
 * resource.refreshCatalog(RefreshOptions.none().append(true).populateStats(true)).block();
 * experiment.refreshCatalog(RefreshOptions.all()).block();   // every resource of the session
 * }</pre>
 */
public final class RefreshOptions {
    private static final RefreshOptions NONE = new RefreshOptions(false, false, false, false);
    private static final RefreshOptions ALL = new RefreshOptions(true, true, true, true);

    private final boolean checksum;
    private final boolean delete;
    private final boolean append;
    private final boolean populateStats;

    private RefreshOptions(boolean checksum, boolean delete, boolean append, boolean populateStats) {
        this.checksum = checksum;
        this.delete = delete;
        this.append = append;
        this.populateStats = populateStats;
    }

    /** No option: XNAT re-reads the catalog with its defaults. */
    public static RefreshOptions none() {
        return NONE;
    }

    /** Every option: checksum, delete, append and populateStats. */
    public static RefreshOptions all() {
        return ALL;
    }

    /** Compute and store the MD5 of entries that have none. */
    public RefreshOptions checksum(boolean on) {
        return new RefreshOptions(on, delete, append, populateStats);
    }

    /** Remove catalog entries whose files no longer exist. */
    public RefreshOptions delete(boolean on) {
        return new RefreshOptions(checksum, on, append, populateStats);
    }

    /** Add files found in the resource's folder that the catalog does not list. */
    public RefreshOptions append(boolean on) {
        return new RefreshOptions(checksum, delete, on, populateStats);
    }

    /** Recompute the resource's file count and total size. */
    public RefreshOptions populateStats(boolean on) {
        return new RefreshOptions(checksum, delete, append, on);
    }

    /** Whether checksums are computed. */
    public boolean checksum() {
        return checksum;
    }

    /** Whether missing files' entries are removed. */
    public boolean delete() {
        return delete;
    }

    /** Whether uncatalogued files are added. */
    public boolean append() {
        return append;
    }

    /** Whether file count and size are recomputed. */
    public boolean populateStats() {
        return populateStats;
    }

    /** The values of the repeated {@code options} parameter, in XNAT's spelling. */
    List<String> names() {
        List<String> out = new ArrayList<>(4);
        if (checksum) {
            out.add("checksum");
        }
        if (delete) {
            out.add("delete");
        }
        if (append) {
            out.add("append");
        }
        if (populateStats) {
            out.add("populateStats");
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RefreshOptions r
                && r.checksum == checksum
                && r.delete == delete
                && r.append == append
                && r.populateStats == populateStats;
    }

    @Override
    public int hashCode() {
        return names().hashCode();
    }

    @Override
    public String toString() {
        return "RefreshOptions" + names();
    }
}
