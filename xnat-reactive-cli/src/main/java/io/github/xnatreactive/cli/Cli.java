package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatAuthenticationException;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import reactor.core.Exceptions;

/**
 * The command line's context: environment, home directory, streams and the password prompt, so that tests can run
 * every command in-process. {@link #execute} maps outcomes to exit codes: 0 all done, 1 finished with failed
 * items, 2 usage error, 3 authentication failed, 4 not found, 5 any other error.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED_ITEMS = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int NOT_FOUND = 4;
    public static final int ERROR = 5;

    /** Asks the user for a secret; null when there is no terminal to ask on. */
    public interface Prompt {
        char[] readSecret(String prompt);
    }

    final Map<String, String> env;
    final Path home;
    final PrintStream out;
    final PrintStream err;
    final Prompt prompt;
    final boolean terminal;

    public Cli(Map<String, String> env, Path home, PrintStream out, PrintStream err, Prompt prompt, boolean terminal) {
        this.env = env;
        this.home = home;
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
        CommandLine cl = new CommandLine(new RootCommand(this), new Factory(this));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable e = Exceptions.unwrap(ex);
            if (e instanceof UsageException) {
                err.println("xnat-reactive: " + e.getMessage());
                err.println("Try 'xnat-reactive " + cmd.getCommandName() + " --help'.");
                return USAGE;
            }
            if (e instanceof XnatAuthenticationException) {
                err.println("xnat-reactive: authentication failed: " + e.getMessage());
                return AUTH;
            }
            if (e instanceof XnatNotFoundException) {
                err.println("xnat-reactive: not found: " + e.getMessage());
                return NOT_FOUND;
            }
            err.println("xnat-reactive: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if ("debug".equalsIgnoreCase(env.get("XNAT_LOG_LEVEL"))) {
                e.printStackTrace(err);
            }
            return ERROR;
        });
        return cl.execute(args);
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
