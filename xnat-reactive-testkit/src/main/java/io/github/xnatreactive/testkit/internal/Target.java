package io.github.xnatreactive.testkit.internal;

import java.util.List;

/**
 * What a matched data URL names, resolved against the store with the caller's permissions checked (contract
 * section 1.2). A null object means the URL names one that does not exist yet, which only a creating {@code PUT}
 * gets.
 */
public sealed interface Target {
    /** {@code /data/projects}. */
    record Projects() implements Target {}

    /** {@code /data/projects/{project}}. */
    record Project(String ref, Item project) implements Target {}

    /** {@code /data/projects/{project}/accessibility[/{value}]} and the other project settings. */
    record ProjectSetting(Item project, String name, List<String> args) implements Target {}

    /** A project's subjects, or every readable subject when {@code project} is null. */
    record Subjects(Item project) implements Target {}

    /** A subject by label or accession ID. */
    record Subject(Item project, String ref, Item subject) implements Target {}

    /** Experiments of a subject, of a project ({@code subject} null), or of the site (both null). */
    record Experiments(Item project, Item subject) implements Target {}

    /** An experiment (session or assessor); {@code subjectRef} is the subject named in the URL, if any. */
    record Experiment(Item project, Item subject, String subjectRef, String ref, Item experiment) implements Target {}

    /** The scans, assessors or reconstructions of a session. */
    record DerivedList(Item session, Kind kind) implements Target {}

    /** One scan, assessor or reconstruction of a session. */
    record Derived(Item session, Kind kind, String ref, Item item) implements Target {}

    /**
     * The objects a resource URL hangs from: one, or several for scans named by type, comma list or {@code ALL};
     * {@code direction} is {@code in}, {@code out} or null.
     */
    record Owners(List<Item> items, String direction) {}

    /** {@code .../resources}. */
    record Catalogs(Owners owners) implements Target {}

    /** {@code .../resources/{resource}}. */
    record Catalog(Owners owners, String ref) implements Target {}

    /**
     * {@code .../files[/{path}]} or {@code .../resources/{resource}/files[/{path}]}: {@code resource} null for all
     * of the owners' resources, {@code path} "" for the listing, ending with '/' for a folder.
     */
    record Files(Owners owners, String resource, String path) implements Target {}
}
