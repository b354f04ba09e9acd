package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Derived data of an imaging session, with its plain, {@code in} (inputs) and {@code out} (outputs) resources: the
 * common part of {@link AssessorRef} and {@link ReconstructionRef}.
 */
public abstract class DerivedRef extends ArchiveRef {
    private final ExperimentRef experiment;

    DerivedRef(ExperimentRef experiment, String collection, String id) {
        super(
                experiment.client,
                experiment.path + "/" + collection + "/" + Uris.segment(id),
                experiment.template + "/" + collection + "/{" + collection.substring(0, collection.length() - 1) + "}",
                id);
        this.experiment = experiment;
    }

    /**
     * The session this derived data belongs to.
     *
     * @return the experiment ref this ref was made from
     */
    public ExperimentRef experiment() {
        return experiment;
    }

    /**
     * Lists the resources attached directly (neither in nor out).
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Lists the {@code in} resources: the inputs the data was derived from.
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> inResources() {
        return list("in/resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Lists the {@code out} resources: the outputs.
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> outResources() {
        return list("out/resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Names a resource attached directly. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource
     */
    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /**
     * Names an {@code in} (input) resource. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource, whose {@link ResourceRef#direction()} is {@code in}
     */
    public ResourceRef inResource(String label) {
        return new ResourceRef(this, "in", label);
    }

    /**
     * Names an {@code out} (output) resource. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource, whose {@link ResourceRef#direction()} is {@code out}
     */
    public ResourceRef outResource(String label) {
        return new ResourceRef(this, "out", label);
    }

    /**
     * Sets fields of the assessor or reconstruction.
     *
     * @param fields short names or XPaths and their new values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /**
     * Reads the {@code parameters/addParam} of the assessor or reconstruction: the extra acquisition or processing parameters that have no
     * field of their own.
     *
     * @return each parameter's name and value, in document order
     */
    public Mono<Map<String, String>> parameters() {
        return document().map(XnatDocument::parameters);
    }

    /**
     * Sets extra parameters of the assessor or reconstruction ({@code {xsiType}/parameters/addParam[name=K]/addField=V}, its data type
     * read from its document); the others are kept.
     *
     * @param values names and values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> setParameters(Map<String, String> values) {
        return setNamed(null, "parameters/addParam", "addField", values);
    }

    /**
     * Reads the provenance of the assessor or reconstruction ({@code provenance/prov:processStep}).
     *
     * @return the steps, in document order; empty when it has none
     */
    public Mono<java.util.List<ProcessStep>> provenance() {
        return document().map(XnatDocument::provenance);
    }

    /**
     * Records provenance: reads the document, adds the steps after those it has (or in their place), and puts the
     * document back.
     *
     * <pre>{@code
     * ProcessStep step = ProcessStep.of("freesurfer", "2024-03-06T10:00:00", "alice", "node7", "Linux");
     * assessor.setProvenance(List.of(step), false).block();
     * List<ProcessStep> steps = assessor.provenance().block();
     * }</pre>
     *
     * @param steps the steps to record
     * @param replace true to replace the steps it has (sent with {@code allowDataDeletion=true})
     * @return completes when the server has stored them
     */
    public Mono<Void> setProvenance(java.util.List<ProcessStep> steps, boolean replace) {
        java.util.List<ProcessStep> copy = java.util.List.copyOf(steps);
        return document()
                .map(d -> d.withProvenance(copy, replace))
                .flatMap(d -> putDocument(d, replace))
                .then();
    }

    /**
     * Deletes the assessor or reconstruction with its resources.
     *
     * @param removeFiles true to remove its files from the server's disk too
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
