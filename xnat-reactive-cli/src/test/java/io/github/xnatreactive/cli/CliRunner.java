package io.github.xnatreactive.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the command line in-process with given environment, home, terminal and prompt; captures its output. */
final class CliRunner {
    record Run(int code, String out, String err) {}

    private CliRunner() {}

    static Run run(Map<String, String> env, Path home, Cli.Prompt prompt, boolean terminal, String... args) {
        return run(env, home, prompt, terminal, new ByteArrayOutputStream(), args);
    }

    /** As {@link #run(Map, Path, Cli.Prompt, boolean, String...)}, with stdout also going to {@code tee}. */
    static Run run(
            Map<String, String> env, Path home, Cli.Prompt prompt, boolean terminal, OutputStream tee, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                out.write(b);
                tee.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
                tee.write(b, off, len);
            }
        };
        Cli cli = new Cli(
                env,
                home,
                new PrintStream(both, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                prompt,
                terminal);
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
