package io.github.xnatreactive.core;

import java.util.Map;
import reactor.core.publisher.Mono;

/** A reconstruction of an imaging session, by ID, with its plain, {@code in} and {@code out} resources. */
public final class ReconstructionRef extends DerivedRef {
    ReconstructionRef(ExperimentRef experiment, String id) {
        super(experiment, "reconstructions", id);
    }

    /** Creates the reconstruction ({@code xnat:reconstructedImageData} by default on the server). */
    public Mono<Void> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).then();
    }
}
