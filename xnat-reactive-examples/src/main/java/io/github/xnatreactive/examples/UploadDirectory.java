package io.github.xnatreactive.examples;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatException;
import java.nio.file.Path;

/**
 * Uploads a local session folder, in the layout {@code DownloadSession} writes (with its {@code xnat-session.json}),
 * into a project: the subject, session and scans are created when missing with the folder's labels and types, only
 * files that are missing or different on the server are sent, and each resource is verified by MD5 afterwards.
 * SUBJECT and SESSION, when given, replace the labels that {@code xnat-session.json} names.
 *
 * <p>Run: {@code XNAT_HOST=... XNAT_USER=... XNAT_PASS=... java -cp ...
 * io.github.xnatreactive.examples.UploadDirectory SESSION_DIR PROJECT [SUBJECT [SESSION]]}
 */
public final class UploadDirectory {
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: UploadDirectory SESSION_DIR PROJECT [SUBJECT [SESSION]]");
            System.exit(2);
        }
        String subject = args.length > 2 ? args[2] : null;
        String session = args.length > 3 ? args[3] : null;
        TransferReport report;
        try (XnatClient xnat = XnatClient.builder().fromEnvironment().build()) {
            report = upload(xnat, Path.of(args[0]), args[1], subject, session);
        } catch (XnatException e) { // 404, 401, ...: the message names the request and the server's answer
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(report.summary());
        report.failed().forEach(f -> System.err.println("FAILED " + f.item() + ": " + f.cause()));
        System.exit(report.succeeded() ? 0 : 1);
    }

    /**
     * Uploads {@code sessionDir} into an existing project; a null subject or session takes the label from the
     * folder's {@code xnat-session.json}.
     */
    public static TransferReport upload(
            XnatClient xnat, Path sessionDir, String project, String subject, String session) {
        return BulkClient.of(xnat)
                .upload(sessionDir, xnat.project(project), subject, session, null, Selection.all())
                .run()
                .block();
    }

    private UploadDirectory() {}
}
