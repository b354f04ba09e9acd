package io.github.xnatreactive.bulk;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which parts of a session a transfer covers: scans (all, or by type or ID), resource labels, and whether session
 * resources, assessors and reconstructions come along. Immutable. Matching of types and labels ignores case.
 *
 * <pre>{@code
 * Selection structural = Selection.all().scanTypes("T1w", "FLAIR").resources("DICOM").scansOnly();
 * TransferPlan plan = BulkClient.of(xnat).download(session, dest, structural).plan().block();
 * }</pre>
 */
public final class Selection {
    private static final Selection ALL = new Selection(Set.of(), Set.of(), Set.of(), true, true, true);

    private final Set<String> scanTypes;
    private final Set<String> scanIds;
    private final Set<String> resources;
    private final boolean sessionResources;
    private final boolean assessors;
    private final boolean reconstructions;

    private Selection(
            Set<String> scanTypes,
            Set<String> scanIds,
            Set<String> resources,
            boolean sessionResources,
            boolean assessors,
            boolean reconstructions) {
        this.scanTypes = scanTypes;
        this.scanIds = scanIds;
        this.resources = resources;
        this.sessionResources = sessionResources;
        this.assessors = assessors;
        this.reconstructions = reconstructions;
    }

    /**
     * The starting point: everything.
     *
     * @return all scans, session resources, assessors and reconstructions, every resource
     */
    public static Selection all() {
        return ALL;
    }

    private static Set<String> lower(String... values) {
        return List.of(values).stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Keeps only scans of these types (and of {@link #scanIds} if set too: either matches).
     *
     * @param types scan types such as {@code T1w}, any case; replaces the types set before; none for every type
     * @return a new selection
     */
    public Selection scanTypes(String... types) {
        return new Selection(lower(types), scanIds, resources, sessionResources, assessors, reconstructions);
    }

    /**
     * Keeps only scans with these IDs (and of {@link #scanTypes} if set too: either matches).
     *
     * @param ids scan IDs such as {@code 1}, matched exactly; replaces the IDs set before
     * @return a new selection
     */
    public Selection scanIds(String... ids) {
        return new Selection(scanTypes, Set.of(ids), resources, sessionResources, assessors, reconstructions);
    }

    /**
     * Keeps only resources with these labels, at every level (scans, session, assessors, reconstructions).
     *
     * @param labels resource labels such as {@code DICOM}, any case; replaces the labels set before
     * @return a new selection
     */
    public Selection resources(String... labels) {
        return new Selection(scanTypes, scanIds, lower(labels), sessionResources, assessors, reconstructions);
    }

    /**
     * Sets whether the session's own resources (not its scans') come along.
     *
     * @param include true to include them
     * @return a new selection
     */
    public Selection sessionResources(boolean include) {
        return new Selection(scanTypes, scanIds, resources, include, assessors, reconstructions);
    }

    /**
     * Sets whether assessors and their resources come along.
     *
     * @param include true to include them
     * @return a new selection
     */
    public Selection assessors(boolean include) {
        return new Selection(scanTypes, scanIds, resources, sessionResources, include, reconstructions);
    }

    /**
     * Sets whether reconstructions and their resources come along.
     *
     * @param include true to include them
     * @return a new selection
     */
    public Selection reconstructions(boolean include) {
        return new Selection(scanTypes, scanIds, resources, sessionResources, assessors, include);
    }

    /**
     * Keeps only scans: no session resources, assessors or reconstructions.
     *
     * @return a new selection
     */
    public Selection scansOnly() {
        return new Selection(scanTypes, scanIds, resources, false, false, false);
    }

    /**
     * Whether a scan is selected.
     *
     * @param id the scan's ID
     * @param type the scan's type, or null when unknown
     * @return true when no type or ID was set, or the scan matches one of them
     */
    public boolean includesScan(String id, String type) {
        if (scanTypes.isEmpty() && scanIds.isEmpty()) {
            return true;
        }
        return scanIds.contains(id) || (type != null && scanTypes.contains(type.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether a resource is selected.
     *
     * @param label the resource's label
     * @return true when no label was set, or the label matches one (ignoring case)
     */
    public boolean includesResource(String label) {
        return resources.isEmpty() || resources.contains(label.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the session's own resources are selected.
     *
     * @return true to include them
     */
    public boolean includesSessionResources() {
        return sessionResources;
    }

    /**
     * Whether assessors are selected.
     *
     * @return true to include them
     */
    public boolean includesAssessors() {
        return assessors;
    }

    /**
     * Whether reconstructions are selected.
     *
     * @return true to include them
     */
    public boolean includesReconstructions() {
        return reconstructions;
    }

    @Override
    public String toString() {
        return "Selection[scanTypes=" + scanTypes + ", scanIds=" + scanIds + ", resources=" + resources
                + ", sessionResources=" + sessionResources + ", assessors=" + assessors + ", reconstructions="
                + reconstructions + "]";
    }
}
