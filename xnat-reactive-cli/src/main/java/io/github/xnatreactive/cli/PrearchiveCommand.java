package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.ImportOptions;
import io.github.xnatreactive.core.PrearchiveScan;
import io.github.xnatreactive.core.PrearchiveSession;
import io.github.xnatreactive.core.PrearchiveSessionRef;
import io.github.xnatreactive.core.PrearchiveStatus;
import io.github.xnatreactive.core.XnatClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "prearchive",
        mixinStandardHelpOptions = true,
        description = {
            "Sessions waiting in the prearchive. SESSION is a prearchive URI as 'import' and 'ls' print it "
                    + "(/data/prearchive/projects/P/TIMESTAMP/FOLDER) or P/TIMESTAMP/FOLDER."
        },
        subcommands = {
            PrearchiveCommand.Ls.class,
            PrearchiveCommand.Show.class,
            PrearchiveCommand.Archive.class,
            PrearchiveCommand.Delete.class,
            PrearchiveCommand.Rebuild.class,
            PrearchiveCommand.Move.class
        })
final class PrearchiveCommand implements Runnable {
    PrearchiveCommand(Cli cli) {}

    @Override
    public void run() {
        throw new Cli.UsageException("a prearchive command is required (ls, show, archive, delete, rebuild, move)");
    }

    /** A session named on the command line. */
    static PrearchiveSessionRef session(XnatClient xnat, String arg) {
        String a = arg.strip();
        if (!a.startsWith("/")) {
            String[] p = a.split("/");
            if (p.length != 3) {
                throw new Cli.UsageException("not a prearchive session: " + arg + " (expected P/TIMESTAMP/FOLDER)");
            }
            return xnat.prearchive().session(p[0], p[1], p[2]);
        }
        try {
            return xnat.prearchive().session(a);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
    }

    /** A subcommand on one session. */
    abstract static class OnSession implements Callable<Integer> {
        final Cli cli;

        @Mixin
        ConnectionOptions conn = new ConnectionOptions();

        @Parameters(index = "0", paramLabel = "SESSION", description = "the prearchive session")
        String session;

        OnSession(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            try (XnatClient xnat = conn.client(cli, 2)) {
                return on(xnat, session(xnat, session));
            }
        }

        abstract Integer on(XnatClient xnat, PrearchiveSessionRef s);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List prearchive sessions.")
    static final class Ls implements Callable<Integer> {
        final Cli cli;

        @Mixin
        ConnectionOptions conn = new ConnectionOptions();

        @Option(names = "--project", paramLabel = "P", description = "only this project's sessions")
        String project;

        @Option(names = "--status", paramLabel = "S", description = "only sessions in this state, e.g. READY")
        String status;

        Ls(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            PrearchiveStatus wanted = status == null ? null : PrearchiveStatus.of(status);
            if (wanted == PrearchiveStatus.OTHER) {
                throw new Cli.UsageException("unknown state: " + status);
            }
            try (XnatClient xnat = conn.client(cli, 2)) {
                List<PrearchiveSession> rows = (project == null
                                ? xnat.prearchive().sessions()
                                : xnat.prearchive().sessions(project))
                        .filter(s -> wanted == null || s.status() == wanted)
                        .collectList()
                        .block();
                cli.out.printf(
                        "%-12s %-10s %-20s %-20s %-20s %s%n",
                        "PROJECT", "STATUS", "SUBJECT", "SESSION", "TIMESTAMP", "URI");
                for (PrearchiveSession s : rows) {
                    cli.out.printf(
                            "%-12s %-10s %-20s %-20s %-20s %s%n",
                            s.project(),
                            s.status() == PrearchiveStatus.OTHER ? s.column("status") : s.status(),
                            s.subject(),
                            s.name(),
                            s.timestamp(),
                            "/data" + s.url());
                }
                return Cli.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a session and its scans.")
    static final class Show extends OnSession {
        Show(Cli cli) {
            super(cli);
        }

        @Override
        Integer on(XnatClient xnat, PrearchiveSessionRef s) {
            PrearchiveSession row = s.get().block();
            cli.out.println("session:  " + row.name());
            cli.out.println("subject:  " + row.subject());
            cli.out.println("project:  " + row.project());
            cli.out.println("status:   " + row.column("status"));
            cli.out.println("study:    " + row.studyInstanceUid());
            cli.out.println("date:     " + row.scanDate());
            cli.out.println("uploaded: " + row.uploaded());
            for (PrearchiveScan scan : s.scans().collectList().block()) {
                cli.out.println(
                        "scan " + scan.id() + ": " + scan.seriesDescription() + " (" + scan.fileCount() + " files)");
            }
            return Cli.OK;
        }
    }

    @Command(
            name = "archive",
            mixinStandardHelpOptions = true,
            description = "Archive a session (to its own project and labels unless given).")
    static final class Archive extends OnSession {
        @Option(names = "--project", paramLabel = "P", description = "archive into this project")
        String project;

        @Option(names = "--subject", paramLabel = "S", description = "as this subject")
        String subject;

        @Option(names = "--session", paramLabel = "E", description = "with this session label")
        String label;

        @Option(
                names = "--overwrite",
                paramLabel = "MODE",
                description = "when the session exists: none (fail), append or delete")
        String overwrite;

        Archive(Cli cli) {
            super(cli);
        }

        @Override
        Integer on(XnatClient xnat, PrearchiveSessionRef s) {
            ImportOptions o = null;
            if (project != null || subject != null || label != null || overwrite != null) {
                o = ImportOptions.toArchive(project != null ? project : s.project())
                        .subject(subject)
                        .session(subject == null ? null : label);
                if (overwrite != null) {
                    o = o.overwrite(ImportCommand.overwrite(overwrite));
                }
            }
            cli.out.println(s.archive(o).block());
            return Cli.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a session and its files.")
    static final class Delete extends OnSession {
        Delete(Cli cli) {
            super(cli);
        }

        @Override
        Integer on(XnatClient xnat, PrearchiveSessionRef s) {
            s.delete().block();
            cli.out.println("deleted " + s.path());
            return Cli.OK;
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Rebuild a session from its files.")
    static final class Rebuild extends OnSession {
        Rebuild(Cli cli) {
            super(cli);
        }

        @Override
        Integer on(XnatClient xnat, PrearchiveSessionRef s) {
            s.rebuild().block();
            cli.out.println("rebuilt " + s.path() + ": " + s.get().block().column("status"));
            return Cli.OK;
        }
    }

    @Command(
            name = "move",
            mixinStandardHelpOptions = true,
            description = "Move a session to another project's prearchive.")
    static final class Move extends OnSession {
        @Option(names = "--to", required = true, paramLabel = "P", description = "the project to move it to")
        String to;

        Move(Cli cli) {
            super(cli);
        }

        @Override
        Integer on(XnatClient xnat, PrearchiveSessionRef s) {
            cli.out.println(s.move(to).block().path());
            return Cli.OK;
        }
    }
}
