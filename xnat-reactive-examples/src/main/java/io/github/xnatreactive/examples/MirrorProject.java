package io.github.xnatreactive.examples;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatException;
import reactor.core.publisher.Mono;

/**
 * Mirrors a project from one XNAT to another (or to another project on the same one): subjects, sessions with
 * their types and fields, scans, resources and files. Bytes stream from the source's response into the
 * destination's upload without touching the disk, and are checked by MD5 on both sides; a rerun moves only what
 * the destination is missing. The destination project is created when it does not exist.
 *
 * <p>Run: {@code XNAT_HOST=... XNAT_USER=... XNAT_PASS=... XNAT_TO_HOST=... XNAT_TO_USER=... XNAT_TO_PASS=...
 * java -cp ... io.github.xnatreactive.examples.MirrorProject PROJECT [TO_PROJECT]}
 */
public final class MirrorProject {
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: MirrorProject PROJECT [TO_PROJECT]");
            System.exit(2);
        }
        TransferReport report;
        try (XnatClient source = XnatClient.builder().fromEnvironment().build();
                XnatClient destination = XnatClient.builder()
                        .serverUrl(required("XNAT_TO_HOST"))
                        .credentials(Credentials.password(required("XNAT_TO_USER"), required("XNAT_TO_PASS")))
                        .build()) {
            report = mirror(source, args[0], destination, args.length > 1 ? args[1] : args[0]);
        } catch (XnatException e) { // 404, 401, ...: the message names the request and the server's answer
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(report.summary());
        report.failed().forEach(f -> System.err.println("FAILED " + f.item() + ": " + f.cause()));
        System.exit(report.succeeded() ? 0 : 1);
    }

    /** Copies every session of {@code project} on the source into {@code toProject} on the destination. */
    public static TransferReport mirror(XnatClient source, String project, XnatClient destination, String toProject) {
        ProjectRef target = destination.project(toProject);
        Mono<String> createTarget = target.exists().flatMap(exists -> exists ? Mono.just(toProject) : target.create());
        return createTarget
                .then(BulkClient.of(source)
                        .mirrorProject(source.project(project), destination, toProject, Selection.all())
                        .run())
                .block();
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("Set " + name + " for the destination server");
            System.exit(2);
        }
        return value;
    }

    private MirrorProject() {}
}
