package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Ingest;
import io.github.xnatreactive.bulk.IngestReport;
import io.github.xnatreactive.core.ImportOptions;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import a folder of DICOM files through XNAT's import service: headers are read here, the files "
                    + "grouped by study, and each study sent as one zip (built while it is sent), several at a time.",
            "Every file is accounted for: imported, rejected (not DICOM) with the reason, or failed."
        })
final class ImportCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "DIR", description = "the folder (searched recursively)")
    Path dir;

    @Option(names = "--project", required = true, paramLabel = "P", description = "the project")
    String project;

    @Option(names = "--subject", paramLabel = "S", description = "subject label (default: Patient's Name)")
    String subject;

    @Option(names = "--session", paramLabel = "E", description = "session label (default: Patient ID)")
    String session;

    @Option(
            names = "--dest",
            paramLabel = "WHERE",
            description = "prearchive, archive, or project (the project's own setting; default: prearchive)")
    String dest = "prearchive";

    @Option(
            names = "--overwrite",
            paramLabel = "MODE",
            description = "when the session exists: none (fail), append or delete (default: none)")
    String overwrite = "none";

    @Option(names = "--concurrency", paramLabel = "N", description = "studies imported at once (default: 4)")
    int concurrency = 4;

    @Option(names = "--dry-run", description = "read and group the files, print the plan, send nothing")
    boolean dryRun;

    @Option(
            names = {"-q", "--quiet"},
            description = "only rejected files, failures and the summary")
    boolean quiet;

    ImportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new Cli.UsageException("not a folder: " + dir);
        }
        if (concurrency < 1) {
            throw new Cli.UsageException("--concurrency must be 1 or more");
        }
        ImportOptions options = options();
        try (XnatClient xnat = conn.client(cli, Math.max(2, concurrency))) {
            Ingest ingest = BulkClient.of(xnat).ingest(dir, options).concurrency(concurrency);
            IngestReport report = (dryRun ? ingest.plan() : ingest.run()).block();
            print(report);
            return report.ok() ? Cli.OK : Cli.FAILED_ITEMS;
        }
    }

    private ImportOptions options() {
        ImportOptions o =
                switch (dest.toLowerCase(Locale.ROOT)) {
                    case "prearchive" -> ImportOptions.toPrearchive(project);
                    case "archive" -> ImportOptions.toArchive(project);
                    case "project" -> ImportOptions.toProject(project);
                    default ->
                        throw new Cli.UsageException("--dest must be prearchive, archive or project, not " + dest);
                };
        return o.overwrite(overwrite(overwrite)).subject(subject).session(session);
    }

    /** An {@code --overwrite} value. */
    static ImportOptions.Overwrite overwrite(String value) {
        try {
            return ImportOptions.Overwrite.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException("--overwrite must be none, append or delete, not " + value);
        }
    }

    private void print(IngestReport report) {
        for (IngestReport.Rejected r : report.rejected()) {
            cli.err.println("rejected " + dir.relativize(r.file()) + ": " + r.reason());
        }
        int imported = 0;
        int failed = 0;
        for (IngestReport.Study s : report.studies()) {
            String what =
                    "study " + s.studyInstanceUid() + " (" + s.files().size() + " files, " + s.bytes() + " bytes)";
            if (report.dryRun()) {
                if (!quiet) {
                    cli.out.println("would import " + what + " from "
                            + dir.relativize(s.files().get(0)));
                }
            } else if (s.error() != null) {
                failed++;
                cli.err.println("FAILED " + what + " after " + s.attempts() + " attempt(s): "
                        + s.error().getMessage());
                for (Path f : s.files()) {
                    cli.err.println("  not imported: " + dir.relativize(f));
                }
            } else {
                imported++;
                if (!quiet) {
                    cli.out.println("imported " + what + " -> " + String.join(", ", s.uris()));
                }
            }
        }
        String files = report.filesTotal() + " files: "
                + (report.dryRun()
                        ? (report.filesTotal() - report.rejected().size()) + " to import in "
                                + report.studies().size() + " studies"
                        : report.filesImported() + " imported in " + imported + " studies, " + report.filesFailed()
                                + " failed in " + failed + " studies")
                + ", " + report.rejected().size() + " rejected";
        cli.out.println(files + (report.dryRun() ? " (dry run: nothing sent)" : ""));
    }
}
