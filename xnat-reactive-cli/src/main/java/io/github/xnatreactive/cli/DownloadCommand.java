package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;

@Command(
        name = "download",
        mixinStandardHelpOptions = true,
        description = {
            "Download sessions (all scans, resources, assessors and reconstructions) in parallel, each file "
                    + "verified by size and MD5. Files already in place are skipped, so a rerun resumes.",
            "Layout: DEST/PROJECT/SUBJECT/SESSION/scans/ID-TYPE/resources/LABEL/files/..."
        })
final class DownloadCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--project", required = true, paramLabel = "P", description = "project ID or alias")
    String project;

    @Option(names = "--subject", paramLabel = "S", description = "only this subject's sessions")
    String subject;

    @Option(names = "--experiment", paramLabel = "E", description = "a session label or accession ID (repeatable)")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--scan-type", paramLabel = "T", description = "only scans of this type (repeatable)")
    List<String> scanTypes = new ArrayList<>();

    @Option(names = "--resource", paramLabel = "R", description = "only resources with this label (repeatable)")
    List<String> resources = new ArrayList<>();

    @Option(names = "--dest", required = true, paramLabel = "DIR", description = "where to put the files")
    Path dest;

    @Mixin
    TransferFlags flags = new TransferFlags();

    @Option(names = "--dry-run", description = "print what would be downloaded and what is already in place")
    boolean dryRun;

    DownloadCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        flags.options(); // bad flags fail before anything connects
        try (XnatClient xnat = conn.client(cli, flags.poolSize())) {
            ProjectRef p = xnat.project(project);
            Selection sel = Selection.all();
            if (!scanTypes.isEmpty()) {
                sel = sel.scanTypes(scanTypes.toArray(String[]::new));
            }
            if (!resources.isEmpty()) {
                sel = sel.resources(resources.toArray(String[]::new));
            }
            BulkClient bulk = BulkClient.of(xnat, flags.options());
            Transfer t;
            if (!experiments.isEmpty()) {
                Flux<ExperimentRef> sessions = Flux.fromIterable(experiments)
                        .map(e -> subject != null ? p.subject(subject).experiment(e) : p.experiment(e));
                t = bulk.download(sessions, dest, sel);
            } else if (subject != null) {
                t = bulk.downloadSubject(p.subject(subject), dest, sel);
            } else {
                t = bulk.downloadProject(p, dest, sel);
            }
            if (dryRun) {
                return Transfers.dryRun(cli, output, t, Transfers.localSession(dest, TransferItem::target));
            }
            return Transfers.run(cli, output, t);
        }
    }
}
