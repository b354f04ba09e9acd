package io.github.xnatreactive.examples;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatException;
import java.nio.file.Path;

/**
 * Downloads one imaging session with the bulk engine: its files move in parallel, each is checked against the
 * server's size and MD5 before it is put in place, and files already there are skipped, so a rerun after an
 * interruption moves only what is missing. Prints the report's one-line summary and any files that failed.
 *
 * <p>Run: {@code XNAT_HOST=... XNAT_USER=... XNAT_PASS=... java -cp ...
 * io.github.xnatreactive.examples.DownloadSession PROJECT SUBJECT SESSION DEST_DIR} (files land in
 * {@code DEST_DIR/PROJECT/SUBJECT/SESSION/}; the exit code is 1 when a file failed).
 */
public final class DownloadSession {
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: DownloadSession PROJECT SUBJECT SESSION DEST_DIR");
            System.exit(2);
        }
        TransferReport report;
        try (XnatClient xnat = XnatClient.builder().fromEnvironment().build()) {
            report = download(xnat, args[0], args[1], args[2], Path.of(args[3]));
        } catch (XnatException e) { // 404, 401, ...: the message names the request and the server's answer
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(report.summary());
        report.failed().forEach(f -> System.err.println("FAILED " + f.item() + ": " + f.cause()));
        System.exit(report.succeeded() ? 0 : 1);
    }

    /** Downloads the session into {@code dest/project/subject/session/} and returns the transfer's report. */
    public static TransferReport download(XnatClient xnat, String project, String subject, String session, Path dest) {
        ExperimentRef ref = xnat.project(project).subject(subject).experiment(session);
        return BulkClient.of(xnat, TransferOptions.defaults().concurrency(8))
                .download(ref, dest, Selection.all())
                .run()
                .block();
    }

    private DownloadSession() {}
}
