package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "upload",
        mixinStandardHelpOptions = true,
        description = {
            "Upload a session folder in the layout 'download' writes, or every session folder under DIR (a "
                    + "download's root or project folder) as one job. Creates what is missing (subject, session, scans, "
                    + "resources) and sends only files that are missing or different (by MD5)."
        })
final class UploadCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "a session folder, or a folder of session folders")
    Path dir;

    @Option(names = "--project", required = true, paramLabel = "P", description = "target project")
    String project;

    @Option(names = "--subject", paramLabel = "S", description = "subject label (default: from xnat-session.json)")
    String subject;

    @Option(names = "--experiment", paramLabel = "E", description = "session label (default: from the folder)")
    String experiment;

    @Option(
            names = "--xsi-type",
            paramLabel = "T",
            description = "session type (default: from xnat-session.json," + " else xnat:mrSessionData)")
    String xsiType;

    @Option(names = "--create-project", description = "create the project when it does not exist")
    boolean createProject;

    @Mixin
    TransferFlags flags = new TransferFlags();

    @Option(names = "--dry-run", description = "print what would be uploaded; create nothing")
    boolean dryRun;

    UploadCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new Cli.UsageException("not a folder: " + dir);
        }
        try (XnatClient xnat = conn.client(cli, flags.poolSize())) {
            ProjectRef p = xnat.project(project);
            if (!Boolean.TRUE.equals(p.exists().block())) {
                if (!createProject) {
                    throw new XnatNotFoundException(
                            "GET", p.path(), "No project " + project + " (use --create-project to create it)");
                }
                if (!dryRun) {
                    p.create().block();
                }
            }
            BulkClient bulk = BulkClient.of(xnat, flags.options());
            // a folder above session folders (no metadata file of its own, no session named): every session in it
            boolean many = subject == null && experiment == null && !Files.exists(dir.resolve("xnat-session.json"));
            Transfer t = many
                    ? bulk.uploadAll(dir, p, Selection.all())
                    : bulk.upload(dir, p, subject, experiment, xsiType, Selection.all());
            if (dryRun) {
                return Transfers.dryRun(cli, output, t, Transfers.serverSession(TransferItem::target));
            }
            return Transfers.run(cli, output, t);
        }
    }
}
