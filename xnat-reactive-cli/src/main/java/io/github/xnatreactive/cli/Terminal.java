package io.github.xnatreactive.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user's terminal, decided per stream: progress goes to stderr when stderr is a terminal (also with
 * {@code | tee} or {@code > file} on stdout), and questions go through the terminal device ({@code /dev/tty}), so
 * that a password is asked for even when stdin or stdout is redirected. {@code System.console()} answers only
 * whether stdin and stdout both are terminals, which is neither question.
 */
final class Terminal implements Cli.Prompt {
    private static final File TTY = new File("/dev/tty");

    /** Whether file descriptor 2 is a terminal: its /proc link names a terminal device (Linux). */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd.getParent())) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null; // elsewhere, the best the JDK tells
    }

    @Override
    public char[] readSecret(String prompt) {
        String line = ask(prompt, true);
        return line == null ? null : line.toCharArray();
    }

    @Override
    public String readLine(String prompt) {
        return ask(prompt, false);
    }

    /** Asks on /dev/tty (echo off for secrets); on systems without it, on the console; null without either. */
    private static String ask(String prompt, boolean secret) {
        if (TTY.exists()) {
            try (FileInputStream in = new FileInputStream(TTY);
                    OutputStream out = new FileOutputStream(TTY)) {
                Charset cs = Charset.defaultCharset();
                out.write(prompt.getBytes(cs));
                out.flush();
                boolean echoOff = secret && stty("-echo");
                try {
                    return new BufferedReader(new InputStreamReader(in, cs)).readLine(); // null: end of input
                } finally {
                    if (echoOff) {
                        stty("echo");
                        out.write('\n');
                        out.flush();
                    }
                }
            } catch (IOException e) {
                return null; // no controlling terminal (a job, a container without a tty)
            }
        }
        Console c = System.console();
        if (c == null) {
            return null;
        }
        return secret ? new String(c.readPassword("%s", prompt)) : c.readLine("%s", prompt);
    }

    private static boolean stty(String mode) {
        try {
            Process p = new ProcessBuilder("stty", mode)
                    .redirectInput(TTY)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
