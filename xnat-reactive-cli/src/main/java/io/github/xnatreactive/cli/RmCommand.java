package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.DerivedRef;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.ScanRef;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Mono;

@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = {
            "Delete one file or object (project, subject, experiment, scan, assessor, reconstruction, "
                    + "resource) named by its path, without wildcards. Fails with exit code 4 when it does not exist."
        })
final class RmCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "PATH", description = "what to delete")
    String path;

    @Option(names = "--keep-files", description = "keep the files on the server's disk (objects only)")
    boolean keepFiles;

    @Option(
            names = {"-y", "--yes"},
            description = "delete a project or subject without asking (needed without a terminal)")
    boolean yes;

    RmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        try (XnatClient xnat = conn.client(cli, 2)) {
            ArchiveRef r = Paths.one(xnat, path);
            if (!Boolean.TRUE.equals(r.exists().block())) {
                throw new XnatNotFoundException("GET", r.path(), "Nothing at " + path);
            }
            if ((r instanceof ProjectRef || r instanceof SubjectRef) && !yes && !confirmed(r)) {
                cli.err.println("xnat-reactive: not deleted: " + path);
                return Cli.FAILED_ITEMS;
            }
            boolean removeFiles = !keepFiles;
            Mono<Void> delete;
            if (r instanceof FileRef f) {
                delete = f.delete();
            } else if (r instanceof ResourceRef res) {
                delete = res.delete();
            } else if (r instanceof ScanRef s) {
                delete = s.delete(removeFiles);
            } else if (r instanceof DerivedRef d) {
                delete = d.delete(removeFiles);
            } else if (r instanceof ExperimentRef e) {
                delete = e.delete(removeFiles);
            } else if (r instanceof SubjectRef s) {
                delete = s.delete(removeFiles);
            } else {
                delete = ((ProjectRef) r).delete(removeFiles);
            }
            delete.block();
            cli.out.println("deleted " + r.path());
            return Cli.OK;
        }
    }

    /** A project or subject takes everything under it: asked on a terminal, else {@code --yes} is needed. */
    private boolean confirmed(ArchiveRef r) {
        String what = r instanceof ProjectRef ? "project" : "subject";
        String answer = cli.prompt.readLine("Delete " + what + " " + path + " with all its sessions and files"
                + (keepFiles ? "" : " (also from the server's disk)") + "? Type yes to delete: ");
        if (answer == null) {
            throw new Cli.UsageException(
                    "deleting a " + what + " needs --yes when there is no terminal to ask on: " + path);
        }
        return answer.strip().equalsIgnoreCase("yes") || answer.strip().equalsIgnoreCase("y");
    }
}
