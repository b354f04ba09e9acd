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
 * RefreshOptions addNew = RefreshOptions.none().append(true); // sent as options=append
 * resource.refreshCatalog(addNew).block();
 * experiment.refreshCatalog(RefreshOptions.all()).block(); // the catalogs under the session
 * }</pre>
 *
 * <p>As in XNAT, a refresh with no option at all ({@link #none()}) does every operation.
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

    /**
     * No option set: the start for choosing some with the setters. Sent as it is, XNAT does every operation.
     *
     * @return the options with every flag off
     */
    public static RefreshOptions none() {
        return NONE;
    }

    /**
     * Every option: checksum, delete, append and populateStats.
     *
     * @return the options with every flag on
     */
    public static RefreshOptions all() {
        return ALL;
    }

    /**
     * Compute and store the MD5 of entries that have none.
     *
     * @param on true to ask for it, false not to
     * @return new options with this flag set, the others as they were
     */
    public RefreshOptions checksum(boolean on) {
        return new RefreshOptions(on, delete, append, populateStats);
    }

    /**
     * Remove catalog entries whose files no longer exist.
     *
     * @param on true to ask for it, false not to
     * @return new options with this flag set, the others as they were
     */
    public RefreshOptions delete(boolean on) {
        return new RefreshOptions(checksum, on, append, populateStats);
    }

    /**
     * Add files found in the resource's folder that the catalog does not list.
     *
     * @param on true to ask for it, false not to
     * @return new options with this flag set, the others as they were
     */
    public RefreshOptions append(boolean on) {
        return new RefreshOptions(checksum, delete, on, populateStats);
    }

    /**
     * Recompute the resource's file count and total size.
     *
     * @param on true to ask for it, false not to
     * @return new options with this flag set, the others as they were
     */
    public RefreshOptions populateStats(boolean on) {
        return new RefreshOptions(checksum, delete, append, on);
    }

    /**
     * Whether checksums are computed.
     *
     * @return true when {@code checksum} is sent
     */
    public boolean checksum() {
        return checksum;
    }

    /**
     * Whether missing files' entries are removed.
     *
     * @return true when {@code delete} is sent
     */
    public boolean delete() {
        return delete;
    }

    /**
     * Whether uncatalogued files are added.
     *
     * @return true when {@code append} is sent
     */
    public boolean append() {
        return append;
    }

    /**
     * Whether file count and size are recomputed.
     *
     * @return true when {@code populateStats} is sent
     */
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
