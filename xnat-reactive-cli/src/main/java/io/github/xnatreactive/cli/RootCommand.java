package io.github.xnatreactive.cli;

import picocli.CommandLine.Command;

/** The {@code xnat-reactive} command. */
@Command(
        name = "xnat-reactive",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.VersionProvider.class,
        // one string per paragraph: picocli wraps each to the width (lines broken here would be broken again there)
        description = {
            "Work with XNAT servers: list, download, upload and mirror whole imaging sessions, in parallel, verified"
                    + " by MD5, resumable.",
            ""
        },
        footer = {
            "",
            "Connection: --server (or XNAT_HOST), --user (or XNAT_USER); the password comes from XNAT_PASS, a netrc"
                    + " file ($NETRC, $HOME/.netrc or --netrc-file) or a prompt, never from a flag.",
            "Exit codes: 0 all done, 1 finished with failed items, 2 usage error, 3 authentication failed, 4 not"
                    + " found, 5 any other error."
        },
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            LsCommand.class,
            DownloadCommand.class,
            UploadCommand.class,
            MirrorCommand.class,
            GetCommand.class,
            PutCommand.class,
            RmCommand.class,
            SearchCommand.class,
            TypesCommand.class,
            TypesCommand.Fields.class,
            UsersCommand.class,
            ProjectCommand.class,
            ShareCommand.class,
            ShareCommand.Unshare.class,
            TokenCommand.class,
            ImportCommand.class,
            MigrateCommand.class,
            PrearchiveCommand.class,
            DaemonCommand.class
        })
public final class RootCommand implements Runnable {
    private final Cli cli;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public RootCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public void run() {
        throw new Cli.UsageException(
                "a command is required (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** The version from the jar manifest. */
    public static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "xnat-reactive " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")"
            };
        }
    }
}
