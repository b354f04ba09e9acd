package io.github.xnatreactive.core;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A reconstruction of an imaging session, by ID, with its plain, {@code in} and {@code out} resources. Made with
 * {@link ExperimentRef#reconstruction(String)}; no I/O until a method's result is subscribed.
 *
 * <pre>{@code
 * ReconstructionRef recon = xnat.project("LAB").subject("S005").experiment("S005_MR1").reconstruction("R1");
 * recon.create("xnat:reconstructedImageData", Map.of("type", "T1_BRAIN")).block();
 * recon.outResource("NIFTI").create().block();
 * List<String> ids = recon.experiment().reconstructions().map(Reconstruction::id).collectList().block();
 * }</pre>
 */
public final class ReconstructionRef extends DerivedRef {
    ReconstructionRef(ExperimentRef experiment, String id) {
        super(experiment, "reconstructions", id);
    }

    /**
     * Creates the reconstruction, or updates it if it exists.
     *
     * @param xsiType the data type; null lets the server use {@code xnat:reconstructedImageData}
     * @param fields e.g. {@code type}, {@code baseScanType}; may be empty
     * @return the reconstruction's ID (the one this ref was made with), when the server has stored it
     */
    public Mono<String> create(String xsiType, Map<String, String> fields) {
        return put(with(fields, "xsiType", xsiType)).thenReturn(id);
    }
}
