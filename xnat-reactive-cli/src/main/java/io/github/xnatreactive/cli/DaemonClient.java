package io.github.xnatreactive.cli;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's thin client of the {@link Daemon}: {@code DaemonClient SOCKET ARGS...} sends the command with this
 * process's directory, environment and terminal, writes what the daemon sends to this process's standard output and
 * error, asks the user what the daemon asks, forwards Ctrl-C and SIGTERM, and exits with the command's exit code.
 * It exits with {@link DaemonWire#NOT_HERE} when it reaches no daemon or the daemon does not run that command; the
 * launcher then runs the command in a JVM of its own. Only {@code java.*} and small classes of this package load
 * here, so that the client's JVM starts in a tenth of a second.
 */
final class DaemonClient {
    /** How long the client waits, after Ctrl-C or SIGTERM, for the interrupted command's end and exit code. */
    private static final long INTERRUPT_WAIT_SECONDS = 30;

    private DaemonClient() {}

    public static void main(String[] a) {
        if (a.length < 1) {
            System.err.println("usage: DaemonClient SOCKET [ARGUMENTS...]");
            System.exit(Cli.USAGE);
        }
        System.exit(run(Path.of(a[0]), Arrays.copyOfRange(a, 1, a.length)));
    }

    /** Runs the command as this process's: its streams, its terminal's questions, and Ctrl-C or SIGTERM. */
    static int run(Path socket, String[] args) {
        DaemonWire.Request req = new DaemonWire.Request(
                List.of(args), Path.of("").toAbsolutePath().toString(), System.getenv(), Terminal.stderrIsTerminal());
        Call call = Call.open(socket);
        if (call == null) {
            return DaemonWire.NOT_HERE;
        }
        Thread onSignal = new Thread(
                () -> {
                    if (!call.ended()) {
                        call.interrupt();
                        // after the code comes (or the wait ends), nothing else is to run: halt, not exit
                        Runtime.getRuntime().halt(call.awaitCode(INTERRUPT_WAIT_SECONDS));
                    }
                },
                "xnat-reactive-client-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        return call.run(
                req,
                new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err),
                new Terminal());
    }

    /** One command sent to the daemon: {@link #run} pumps its frames; {@link #interrupt} may come from any thread. */
    static final class Call {
        private final Path socket;
        private final DaemonWire wire;
        private final CountDownLatch exited = new CountDownLatch(1);
        private volatile int code = Cli.INTERRUPTED;
        private volatile boolean interrupted;

        private Call(Path socket, DaemonWire wire) {
            this.socket = socket;
            this.wire = wire;
        }

        /** A call to the daemon on {@code socket}, or null when none listens. */
        static Call open(Path socket) {
            SocketChannel ch = connect(socket);
            return ch == null ? null : new Call(socket, new DaemonWire(ch));
        }

        boolean ended() {
            return exited.getCount() == 0;
        }

        /** Ctrl-C or SIGTERM: the daemon interrupts the command, which then ends and sends its code. */
        void interrupt() {
            interrupted = true;
            try {
                wire.send(DaemonWire.INTERRUPT, new byte[0]);
            } catch (IOException e) {
                // the daemon has gone: nothing left to interrupt
            }
        }

        /** The command's exit code, once it came, else (after {@code seconds}) {@link Cli#INTERRUPTED}. */
        int awaitCode(long seconds) {
            try {
                exited.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return code;
        }

        /**
         * Sends the request, writes the command's output to {@code stdout} and {@code stderr}, answers its questions
         * through {@code prompt}, and returns its exit code ({@link DaemonWire#NOT_HERE} when the daemon does not run
         * it).
         */
        int run(DaemonWire.Request req, OutputStream stdout, OutputStream stderr, Cli.Prompt prompt) {
            try (wire) {
                code = pump(req, stdout, stderr, prompt);
            } catch (IOException e) {
                if (interrupted) {
                    // stopped at once by the interrupt (the daemon closes the connection of a command interrupted
                    // before it arrived), before it could send its code: as a signal stops it, silently
                    code = Cli.INTERRUPTED;
                } else if (e instanceof EOFException) {
                    code = Cli.ERROR;
                    message(
                            stderr,
                            "xnat-reactive: the daemon ended before the command did (its log: " + logOf(socket)
                                    + "); files in flight are left as temporary files, which the next run removes");
                } else {
                    code = Cli.ERROR;
                    message(
                            stderr,
                            "xnat-reactive: lost the daemon (" + e.getMessage() + "; its log: " + logOf(socket) + ")");
                }
            } finally {
                exited.countDown();
            }
            return code;
        }

        private int pump(DaemonWire.Request req, OutputStream stdout, OutputStream stderr, Cli.Prompt prompt)
                throws IOException {
            wire.send(DaemonWire.REQUEST, req.encode());
            boolean stdoutOpen = true;
            while (true) {
                DaemonWire.Frame f = wire.read();
                switch (f.type()) {
                    case DaemonWire.OUT -> {
                        if (stdoutOpen) {
                            try {
                                stdout.write(f.body());
                            } catch (IOException closed) {
                                stdoutOpen = false; // as a command in its own JVM: output to a closed pipe is lost
                            }
                        }
                    }
                    case DaemonWire.ERR -> stderr.write(f.body());
                    case DaemonWire.ASK_SECRET, DaemonWire.ASK_LINE -> {
                        String answer = f.type() == DaemonWire.ASK_SECRET
                                ? DaemonClient.toString(prompt.readSecret(f.text()))
                                : prompt.readLine(f.text());
                        wire.send(DaemonWire.ANSWER, answer == null ? "" : "=" + answer);
                    }
                    case DaemonWire.EXIT -> {
                        return DaemonWire.intOf(f);
                    }
                    case DaemonWire.LOCAL -> {
                        return DaemonWire.NOT_HERE;
                    }
                    default -> throw new IOException("unexpected frame " + (char) f.type());
                }
            }
        }

        private static void message(OutputStream stderr, String line) {
            try {
                stderr.write((line + "\n").getBytes(java.nio.charset.Charset.defaultCharset()));
            } catch (IOException e) {
                // no stderr left to tell
            }
        }
    }

    private static String toString(char[] secret) {
        return secret == null ? null : new String(secret);
    }

    /** Where the daemon on {@code socket} writes its log. */
    static Path logOf(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".log");
    }

    /**
     * A connection to the daemon, or null when none listens. A socket file nobody listens on (a daemon that was
     * killed) is removed, so that the next runs do not try it.
     */
    static SocketChannel connect(Path socket) {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException refused) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // someone else's, or gone already
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The daemon's status line, or null when none answers on {@code socket}. */
    static String status(Path socket) {
        return ask(socket, DaemonWire.STATUS);
    }

    static boolean answers(Path socket) {
        return status(socket) != null;
    }

    /** Asks the daemon to stop (it interrupts its running commands first); its answer, or null without one. */
    static String stop(Path socket) {
        return ask(socket, DaemonWire.STOP);
    }

    private static String ask(Path socket, byte type) {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel ch = connect(socket);
        if (ch == null) {
            return null;
        }
        try (DaemonWire wire = new DaemonWire(ch)) {
            wire.send(type, new byte[0]);
            DaemonWire.Frame f = wire.read();
            return f.type() == DaemonWire.TEXT ? new String(f.body(), StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
