package io.github.xnatreactive.core;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * An assessor of an imaging session (QC, derived data...), by label or accession ID, with its plain, {@code in}
 * and {@code out} resources.
 */
public final class AssessorRef extends DerivedRef {
    AssessorRef(ExperimentRef experiment, String id) {
        super(experiment, "assessors", id);
    }

    /** Creates the assessor with a type such as {@code xnat:qcManualAssessorData}; returns its accession ID. */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).map(PutReply::body);
    }
}
