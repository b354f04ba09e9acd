package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatAuthenticationException;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import reactor.core.Exceptions;

/**
 * The command line's context: environment, home directory, streams and the terminal, so that tests can run every
 * command in-process. {@link #execute} maps outcomes to exit codes: 0 all done, 1 finished with failed items, 2
 * usage error, 3 authentication failed, 4 not found, 5 any other error.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED_ITEMS = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int NOT_FOUND = 4;
    public static final int ERROR = 5;
    /** Ended by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    /** Asks the user through the terminal; null answers when there is no terminal to ask on. */
    public interface Prompt {
        /** A secret typed without echo, or null without a terminal. */
        char[] readSecret(String prompt);

        /** A line typed in answer to a question, or null without a terminal. */
        default String readLine(String prompt) {
            return null;
        }
    }

    /**
     * Where a command registers what to do on Ctrl-C or SIGTERM (a {@link Thread} to start then): the JVM's shutdown
     * hooks when the command has the JVM to itself, the command's own when the daemon runs it beside others.
     */
    public interface Interrupts {
        void add(Thread hook);

        /** Forgets a hook that has not run (a command that ended); nothing when it is running already. */
        void remove(Thread hook);
    }

    /** The JVM's shutdown hooks. */
    static final Interrupts JVM = new Interrupts() {
        @Override
        public void add(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void remove(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    };

    final Map<String, String> env;
    final Path home;
    /** The directory relative paths (options, arguments, {@code $NETRC}) are taken from: the user's. */
    final Path cwd;

    final Interrupts interrupts;
    final PrintStream out;
    final PrintStream err;
    final Prompt prompt;
    /** Whether stderr is a terminal: progress lines are drawn only then. */
    final boolean terminal;

    /** The servers the command connected to, for whole URLs in messages. */
    final List<String> servers = new ArrayList<>();
    /** Where the credentials came from, for the message of a failed login. */
    String credentialSource;

    public Cli(Map<String, String> env, Path home, PrintStream out, PrintStream err, Prompt prompt, boolean terminal) {
        this(env, home, Path.of("").toAbsolutePath(), out, err, prompt, terminal, JVM);
    }

    Cli(
            Map<String, String> env,
            Path home,
            Path cwd,
            PrintStream out,
            PrintStream err,
            Prompt prompt,
            boolean terminal,
            Interrupts interrupts) {
        this.env = env;
        this.home = home;
        this.cwd = cwd;
        this.interrupts = interrupts;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
        this.terminal = terminal;
    }

    /** A problem with how the command was called (exit code 2). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public int execute(String... args) {
        CommandLine cl = commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        Usage.configure(cl, err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable e = Exceptions.unwrap(ex);
            if (e instanceof UsageException || e instanceof IllegalArgumentException) {
                err.println("xnat-reactive: " + e.getMessage());
                err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
                return USAGE;
            }
            if (e instanceof XnatAuthenticationException) {
                err.println("xnat-reactive: authentication failed: " + describe(e)
                        + (credentialSource == null ? "" : " (credentials from " + credentialSource + ")"));
                return AUTH;
            }
            if (e instanceof XnatNotFoundException) {
                err.println("xnat-reactive: not found: " + describe(e));
                return NOT_FOUND;
            }
            err.println("xnat-reactive: " + describe(e));
            if (debug()) {
                e.printStackTrace(err);
            }
            return ERROR;
        });
        return cl.execute(args);
    }

    /** The command tree, with paths taken from {@link #cwd}. */
    CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RootCommand(this), new Factory(this));
        cl.registerConverter(Path.class, this::path);
        return cl;
    }

    /** A path the user gave, relative to the user's directory. */
    Path path(String given) {
        return cwd.resolve(given);
    }

    boolean debug() {
        String level = env.get("XNAT_LOG_LEVEL");
        return "debug".equalsIgnoreCase(level) || "trace".equalsIgnoreCase(level);
    }

    /**
     * What went wrong, in words: a request's whole URL (server and context path, not only the path), a TLS
     * handshake with a plain-http server, a file system problem.
     */
    String describe(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (servers.size() == 1) {
            // the SDK's messages name request paths (GET /data/projects/P ...): show the whole URL, context path
            // included; with two servers (mirror) the path alone does not say which, so it stays as it is
            m = m.replace(" /data/", " " + servers.get(0) + "/data/");
        }
        String server = servers.size() == 1 ? servers.get(0) : "the server";
        for (Throwable c = e; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (c instanceof javax.net.ssl.SSLException || name.endsWith("NotSslRecordException")) {
                return "TLS handshake failed with " + server + ": is the server plain http? (then give its URL as"
                        + " http://...; a URL without a scheme means https)" + (debug() ? " [" + c + "]" : "");
            }
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException) {
                String why = c instanceof java.net.UnknownHostException
                        ? "its host name does not resolve (is the URL right? is there a network, or a proxy to set?)"
                        : name.endsWith("ConnectTimeoutException")
                                ? "the connection timed out (is the URL right? is a firewall in the way?)"
                                : "the connection was refused (is the server running, and is the URL and its port"
                                        + " right?)";
                return "cannot connect to " + server + ": " + why + (debug() ? " [" + c + "]" : "");
            }
            if (c instanceof java.nio.file.FileSystemException f) {
                String reason = f.getReason() != null
                        ? f.getReason()
                        : f instanceof java.nio.file.FileAlreadyExistsException
                                ? "it exists (a file where a folder is needed?)"
                                : f instanceof java.nio.file.NoSuchFileException
                                        ? "no such file or folder"
                                        : f instanceof java.nio.file.AccessDeniedException
                                                ? "permission denied"
                                                : f instanceof java.nio.file.NotDirectoryException
                                                        ? "not a folder"
                                                        : "cannot be written";
                return "file system error on " + f.getFile()
                        + (f.getOtherFile() == null ? "" : " (-> " + f.getOtherFile() + ")") + ": " + reason;
            }
        }
        return m;
    }

    /** Gives commands their context. */
    private record Factory(Cli cli) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Cli.class).newInstance(cli);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
