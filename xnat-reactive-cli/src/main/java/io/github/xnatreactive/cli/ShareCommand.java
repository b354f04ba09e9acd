package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.Shareable;
import io.github.xnatreactive.core.XnatClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code share PATH PROJECT [--label L] [--primary]} and {@code unshare PATH PROJECT}. */
@Command(
        name = "share",
        mixinStandardHelpOptions = true,
        description = {
            "Share a subject, experiment or assessor (named by its path) into another project, where it is",
            "then listed under its label there. --primary moves its ownership to that project."
        })
final class ShareCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "PATH", description = "the subject, experiment or assessor")
    String path;

    @Parameters(index = "1", paramLabel = "PROJECT", description = "the project to share it into")
    String project;

    @Option(names = "--label", paramLabel = "LABEL", description = "its label there (default: its current label)")
    String label;

    @Option(names = "--primary", description = "make that project its owner (you must own both projects)")
    boolean primary;

    ShareCommand(Cli cli) {
        this.cli = cli;
    }

    static Shareable shareable(XnatClient xnat, String path) {
        ArchiveRef r = Paths.one(xnat, path);
        if (r instanceof Shareable s) {
            return s;
        }
        throw new Cli.UsageException("only subjects, experiments and assessors can be shared: " + path);
    }

    @Override
    public Integer call() {
        try (XnatClient xnat = conn.client(cli, 2)) {
            shareable(xnat, path).share(project, label, primary).block();
            cli.out.println((primary ? "moved " : "shared ") + path + " into " + project);
            return Cli.OK;
        }
    }

    @Command(
            name = "unshare",
            mixinStandardHelpOptions = true,
            description = {"Remove the share of a subject, experiment or assessor in another project."})
    static final class Unshare implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ConnectionOptions conn = new ConnectionOptions();

        @Parameters(index = "0", paramLabel = "PATH", description = "the subject, experiment or assessor")
        String path;

        @Parameters(index = "1", paramLabel = "PROJECT", description = "the project it is shared into")
        String project;

        Unshare(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            try (XnatClient xnat = conn.client(cli, 2)) {
                shareable(xnat, path).unshare(project).block();
                cli.out.println("unshared " + path + " from " + project);
                return Cli.OK;
            }
        }
    }
}
