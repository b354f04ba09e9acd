package io.github.xnatreactive.core;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * An assessor of an imaging session (QC, derived data...), by label or accession ID, with its plain, {@code in}
 * and {@code out} resources. Made with {@link ExperimentRef#assessor(String)}; no I/O until a method's result is
 * subscribed.
 *
 * <pre>{@code
 * AssessorRef qc = xnat.project("LAB").subject("S004").experiment("S004_MR1").assessor("S004_MR1_QC");
 * String qcId = qc.create("xnat:qcManualAssessorData", Map.of()).block();
 * qc.outResource("REPORT").create().block();
 * List<String> outputs = qc.outResources().map(Resource::label).collectList().block(); // [REPORT]
 * }</pre>
 */
public final class AssessorRef extends DerivedRef implements Shareable {
    AssessorRef(ExperimentRef experiment, String id) {
        super(experiment, "assessors", id);
    }

    /**
     * Creates the assessor, or updates it if it exists.
     *
     * @param xsiType the data type, e.g. {@code xnat:qcManualAssessorData}
     * @param fields the assessor's fields (short names or XPaths); may be empty
     * @return the assessor's accession ID
     */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).map(PutReply::body);
    }
}
