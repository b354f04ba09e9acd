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
 * Selection.all().scanTypes("T1w", "FLAIR").resources("DICOM")
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

    /** Everything: all scans, session resources, assessors and reconstructions, every resource. */
    public static Selection all() {
        return ALL;
    }

    private static Set<String> lower(String... values) {
        return List.of(values).stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Only scans of these types (and of {@link #scanIds} if set too: either matches). */
    public Selection scanTypes(String... types) {
        return new Selection(lower(types), scanIds, resources, sessionResources, assessors, reconstructions);
    }

    public Selection scanIds(String... ids) {
        return new Selection(scanTypes, Set.of(ids), resources, sessionResources, assessors, reconstructions);
    }

    /** Only resources with these labels (at every level). */
    public Selection resources(String... labels) {
        return new Selection(scanTypes, scanIds, lower(labels), sessionResources, assessors, reconstructions);
    }

    public Selection sessionResources(boolean include) {
        return new Selection(scanTypes, scanIds, resources, include, assessors, reconstructions);
    }

    public Selection assessors(boolean include) {
        return new Selection(scanTypes, scanIds, resources, sessionResources, include, reconstructions);
    }

    public Selection reconstructions(boolean include) {
        return new Selection(scanTypes, scanIds, resources, sessionResources, assessors, include);
    }

    /** Only scans (no session resources, assessors or reconstructions). */
    public Selection scansOnly() {
        return new Selection(scanTypes, scanIds, resources, false, false, false);
    }

    public boolean includesScan(String id, String type) {
        if (scanTypes.isEmpty() && scanIds.isEmpty()) {
            return true;
        }
        return scanIds.contains(id) || (type != null && scanTypes.contains(type.toLowerCase(Locale.ROOT)));
    }

    public boolean includesResource(String label) {
        return resources.isEmpty() || resources.contains(label.toLowerCase(Locale.ROOT));
    }

    public boolean includesSessionResources() {
        return sessionResources;
    }

    public boolean includesAssessors() {
        return assessors;
    }

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
