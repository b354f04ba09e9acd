package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.Shareable;
import io.github.xnatreactive.core.XnatClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code share PATH PROJECT [--label L] [--primary]} and {@code unshare PATH PROJECT}. */
@Command(
        name = "share",
        mixinStandardHelpOptions = true,
        description = {
            "Share a subject, experiment or assessor (named by its path) into another project, where it is "
                    + "then listed under its label there. --primary moves its ownership to that project."
        })
final class ShareCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "the subject, experiment or assessor")
    String path;

    @Parameters(index = "1", paramLabel = "PROJECT", description = "the project to share it into")
    String project;

    @Option(names = "--label", paramLabel = "LABEL", description = "its label there (default: its current label)")
    String label;

    @Option(names = "--primary", description = "make that project its owner (you must own both projects)")
    boolean primary;

    ShareCommand(Cli cli) {
        super(cli);
    }

    static Shareable shareable(XnatClient xnat, String path) {
        ArchiveRef r = Paths.one(xnat, path);
        if (r instanceof Shareable s) {
            return s;
        }
        throw new Cli.UsageException("only subjects, experiments and assessors can be shared: " + path);
    }

    @Override
    void run(XnatClient xnat) {
        shareable(xnat, path).share(project, label, primary).block();
        cli.out.println((primary ? "moved " : "shared ") + path + " into " + project);
    }

    @Command(
            name = "unshare",
            mixinStandardHelpOptions = true,
            description = {"Remove the share of a subject, experiment or assessor in another project."})
    static final class Unshare extends ClientCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "the subject, experiment or assessor")
        String path;

        @Parameters(index = "1", paramLabel = "PROJECT", description = "the project it is shared into")
        String project;

        Unshare(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            shareable(xnat, path).unshare(project).block();
            cli.out.println("unshared " + path + " from " + project);
        }
    }
}
