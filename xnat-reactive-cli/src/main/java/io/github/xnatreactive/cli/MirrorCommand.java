package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;

@Command(
        name = "mirror",
        mixinStandardHelpOptions = true,
        description = {
            "Copy sessions from one XNAT (the connection options) to another (--to-server): same labels, "
                    + "types, fields, scans and resources; bytes streamed without a disk copy, MD5 checked on both sides."
        })
final class MirrorCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--to-server", paramLabel = "URL", description = "destination URL (default: $XNAT_TO_HOST)")
    String toServer;

    @Option(
            names = "--to-user",
            paramLabel = "NAME",
            description =
                    "destination user (default: $XNAT_TO_USER);" + " its password comes from $XNAT_TO_PASS or a prompt")
    String toUser;

    @Option(names = "--to-ca-file", paramLabel = "PEM", description = "CA certificates of the destination")
    Path toCaFile;

    @Option(names = "--to-insecure", description = "accept any TLS certificate from the destination (dangerous)")
    boolean toInsecure;

    @Option(names = "--project", required = true, paramLabel = "P", description = "source project")
    String project;

    @Option(names = "--experiment", paramLabel = "E", description = "a session label or ID (repeatable; default all)")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--to-project", required = true, paramLabel = "Q", description = "destination project")
    String toProject;

    @Option(names = "--create-project", description = "create the destination project when it does not exist")
    boolean createProject;

    @Mixin
    TransferFlags flags = new TransferFlags();

    @Option(names = "--dry-run", description = "print what would be copied; create nothing")
    boolean dryRun;

    MirrorCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        try (XnatClient src = conn.client(cli, flags.poolSize());
                XnatClient dst = ConnectionOptions.client(
                        cli,
                        toServer,
                        "XNAT_TO_HOST",
                        toUser,
                        "XNAT_TO_USER",
                        "XNAT_TO_PASS",
                        null,
                        toCaFile,
                        toInsecure,
                        flags.poolSize(),
                        null)) {
            ProjectRef sp = src.project(project);
            ProjectRef dp = dst.project(toProject);
            if (!Boolean.TRUE.equals(dp.exists().block())) {
                if (!createProject) {
                    throw new XnatNotFoundException(
                            "GET",
                            dp.path(),
                            "No project " + toProject + " on the destination (use --create-project to create it)");
                }
                if (!dryRun) {
                    dp.create().block();
                }
            }
            BulkClient bulk = BulkClient.of(src, flags.options());
            Flux<ExperimentRef> sessions = experiments.isEmpty()
                    ? sp.experiments().map(e -> src.experiment(e.id()))
                    : Flux.fromIterable(experiments).map(sp::experiment);
            Transfer t = bulk.mirror(sessions, dst, toProject, Selection.all());
            if (dryRun) {
                return Transfers.dryRun(cli, output, t, Transfers.serverSession(TransferItem::target));
            }
            return Transfers.run(cli, output, t);
        }
    }
}
