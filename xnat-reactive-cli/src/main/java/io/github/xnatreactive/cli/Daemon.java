package io.github.xnatreactive.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * A resident JVM that runs CLI commands for the launcher's thin client ({@link DaemonClient}), so that a command
 * runs on code the JIT has compiled already instead of paying a JVM's start and warm-up (about a second of CPU on a
 * short job; docs/benchmarks.md). Started by {@code xnat-reactive daemon start}; listens on a Unix-domain socket in a
 * folder only its user can open, and serves only that user (the peer's credentials are checked). Each command runs
 * with the client's arguments, directory, environment and terminal, in a {@link Cli} of its own; Ctrl-C or SIGTERM
 * on the client, or the client's end, interrupts it as a signal interrupts a command in its own JVM. It stops after a
 * time without commands, on {@code xnat-reactive daemon stop}, or on SIGTERM.
 */
final class Daemon {
    /** Commands with a lifetime or signals of their own, and the daemon's own: the client runs them itself. */
    static final Set<String> LOCAL_COMMANDS = Set.of("daemon", "serve", "migrate", "demo");

    private static final Duration FLUSH = Duration.ofMillis(50);

    private final Path socket;
    private final Duration idle;
    private final ServerSocketChannel server;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "xnat-reactive-daemon-timer");
        t.setDaemon(true);
        return t;
    });
    private final Set<Command> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong served = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object idleLock = new Object();
    private ScheduledFuture<?> idleStop;

    private Daemon(Path socket, Duration idle, ServerSocketChannel server) {
        this.socket = socket;
        this.idle = idle;
        this.server = server;
    }

    /** {@code Daemon --socket PATH --idle SECONDS}: prints {@code ready PID} on stdout once it listens. */
    public static void main(String[] args) throws IOException {
        Path socket = null;
        Duration idle = Duration.ofMinutes(30);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[i + 1]);
                case "--idle" -> idle = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (socket == null) {
            throw new IllegalArgumentException("--socket PATH is required");
        }
        Main.prepareJvm(System.getenv());
        Fatal.install(System.err);
        Daemon d = start(socket, idle);
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        System.setOut(System.err); // the starter stops reading; anything printed later goes to the log
        Runtime.getRuntime().addShutdownHook(new Thread(d::shutDown, "xnat-reactive-daemon-shutdown"));
        d.serve();
    }

    /** Binds the socket (in a private folder, replacing a stale one) and arms the idle timer. */
    static Daemon start(Path socket, Duration idle) throws IOException {
        Path dir = privateFolder(socket.toAbsolutePath().getParent());
        if (Files.exists(socket)) {
            if (DaemonClient.answers(socket)) {
                throw new IOException("a daemon is running already on " + socket);
            }
            Files.deleteIfExists(socket); // left by a daemon that was killed
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Daemon d = new Daemon(socket, idle, server);
        d.owner = Files.getOwner(dir).getName();
        d.armIdle();
        return d;
    }

    private String owner;

    /**
     * The socket's folder, created readable by its owner only, and refused when others can open it: whoever can
     * connect runs commands with the credentials the daemon is sent.
     */
    static Path privateFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw new IOException("the daemon's folder " + dir + " is open to other users ("
                        + PosixFilePermissions.toString(perms) + "): make it private with chmod 700 " + dir);
            }
        }
        return dir;
    }

    /** Accepts clients until stopped: one thread per command. */
    void serve() {
        AtomicInteger n = new AtomicInteger();
        while (!stopping.get()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (stopping.get()) {
                    return;
                }
                System.err.println("xnat-reactive daemon: accept failed: " + e);
                continue;
            }
            Thread t = new Thread(() -> connection(ch), "xnat-reactive-daemon-" + n.incrementAndGet());
            t.start();
        }
    }

    private void connection(SocketChannel ch) {
        try (DaemonWire wire = new DaemonWire(ch)) {
            String peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED)
                    .user()
                    .getName();
            if (!peer.equals(owner)) {
                System.err.println("xnat-reactive daemon: refused a connection from user " + peer);
                return;
            }
            DaemonWire.Frame first = wire.read();
            switch (first.type()) {
                case DaemonWire.STATUS -> wire.send(DaemonWire.TEXT, status());
                case DaemonWire.STOP -> {
                    int interrupted = stop();
                    wire.send(
                            DaemonWire.TEXT,
                            "stopped the daemon (pid " + ProcessHandle.current().pid() + ")"
                                    + (interrupted == 0 ? "" : "; " + interrupted + " running commands interrupted"));
                    new Thread(() -> System.exit(0), "xnat-reactive-daemon-exit").start();
                }
                case DaemonWire.REQUEST -> {
                    try {
                        run(wire, DaemonWire.Request.decode(first.body()));
                    } catch (RuntimeException e) {
                        System.err.println("xnat-reactive daemon: a command failed in the daemon itself:");
                        e.printStackTrace(System.err);
                        wire.send(
                                DaemonWire.ERR,
                                "xnat-reactive: the daemon failed: " + e + " (its log: " + DaemonClient.logOf(socket)
                                        + ")\n");
                        wire.sendInt(DaemonWire.EXIT, Cli.ERROR);
                    }
                }
                case DaemonWire.INTERRUPT -> {
                    // the client was interrupted before it sent its command: nothing to run
                }
                default -> throw new IOException("unexpected frame " + (char) first.type());
            }
        } catch (EOFException gone) {
            // the client went before it asked anything
        } catch (IOException e) {
            System.err.println("xnat-reactive daemon: " + e);
        }
    }

    /**
     * Runs one command for a client, its output and questions sent to it, and last its exit code. The command runs on
     * a thread of its own, which an interrupt may interrupt; only this thread writes to the socket (an interrupted
     * thread's channel write would close the channel before the exit code could go).
     */
    void run(DaemonWire wire, DaemonWire.Request req) throws IOException {
        String[] args = req.args().toArray(String[]::new);
        String command = commandOf(args);
        if (stopping.get() || (command != null && LOCAL_COMMANDS.contains(command))) {
            wire.send(DaemonWire.LOCAL, new byte[0]);
            return;
        }
        String name = Thread.currentThread().getName();
        Command c = new Command();
        commandStarts(c);
        try {
            c.runner = new Thread(() -> c.execute(req, args), name + "-command");
            Thread reader = new Thread(() -> c.readClient(wire), name + "-client");
            reader.setDaemon(true);
            reader.start();
            c.runner.start();
            c.write(wire);
        } finally {
            commandEnds(c);
            c.ended.countDown();
        }
    }

    /** The (first) command named, or null when the arguments do not parse (the command will say why). */
    static String commandOf(String[] args) {
        try {
            CommandLine.ParseResult r = new Cli(Map.of(), Path.of("."), System.out, System.err, p -> null, false)
                    .commandLine()
                    .parseArgs(args);
            return r.subcommand() == null ? null : r.subcommand().commandSpec().name();
        } catch (CommandLine.ParameterException e) {
            return null;
        }
    }

    private void commandStarts(Command c) {
        synchronized (idleLock) {
            running.add(c);
            served.incrementAndGet();
            if (idleStop != null) {
                idleStop.cancel(false);
                idleStop = null;
            }
        }
    }

    private void commandEnds(Command c) {
        synchronized (idleLock) {
            if (!running.remove(c)) {
                return;
            }
            if (running.isEmpty()) {
                armIdle();
            }
        }
    }

    private void armIdle() {
        synchronized (idleLock) {
            if (stopping.get()) {
                return;
            }
            idleStop = timer.schedule(
                    () -> {
                        synchronized (idleLock) {
                            if (!running.isEmpty()) {
                                return;
                            }
                        }
                        System.err.println(
                                "xnat-reactive daemon: no command for " + idle.toMinutes() + " min: stopping");
                        System.exit(0);
                    },
                    idle.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Stops taking commands, interrupts the running ones and waits (10 s at most) for them to end. */
    int stop() {
        if (!stopping.compareAndSet(false, true)) {
            return 0;
        }
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            System.err.println("xnat-reactive daemon: " + e);
        }
        synchronized (idleLock) {
            if (idleStop != null) {
                idleStop.cancel(false);
            }
        }
        List<Command> now = List.copyOf(running);
        now.forEach(Command::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Command c : now) {
            c.awaitEnd(deadline);
        }
        timer.shutdown();
        return now.size();
    }

    private void shutDown() {
        stop();
    }

    String status() {
        Runtime rt = Runtime.getRuntime();
        long up = (System.nanoTime() - started) / 1_000_000_000L;
        return String.format(
                Locale.ROOT,
                "daemon running: pid %d, up %d min %d s, %d commands served, %d running now, heap %d of %d MiB;"
                        + " stops after %d min without commands; socket %s; Java %s",
                ProcessHandle.current().pid(),
                up / 60,
                up % 60,
                served.get(),
                running.size(),
                (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20,
                idle.toMinutes(),
                socket,
                System.getProperty("java.version"));
    }

    /**
     * One command's side of the connection: its output streams (standard output in pieces of up to 64 KiB, sent when
     * full, when the socket has been idle for 50 ms, and before anything goes to standard error, so that the two keep
     * their order), its questions to the client, and the hooks it registers for an interrupt. Everything for the
     * client goes through one bounded queue to the connection's thread, so that a client that reads slowly slows the
     * command down instead of filling the heap.
     */
    private final class Command implements Cli.Prompt, Cli.Interrupts {
        final PrintStream out;
        final PrintStream err;
        private final Frames outFrames;
        private final Frames errFrames;
        private final java.util.concurrent.BlockingQueue<DaemonWire.Frame> toClient =
                new java.util.concurrent.ArrayBlockingQueue<>(64);
        private final List<Thread> hooks = new CopyOnWriteArrayList<>();
        private final AtomicBoolean interrupted = new AtomicBoolean();
        private final LinkedBlockingQueue<Optional<String>> answers = new LinkedBlockingQueue<>();
        /** Counted down when the command has ended and its exit code went to the client. */
        final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        /** Output is dropped from then on: the client has gone, or an interrupt stops the command silently. */
        volatile boolean gone;

        volatile Thread runner;
        private volatile boolean threadInterrupted;

        Command() {
            this.outFrames = new Frames(this, DaemonWire.OUT, null, 1 << 16);
            this.out = new PrintStream(outFrames, false, StandardCharsets.UTF_8);
            this.errFrames = new Frames(this, DaemonWire.ERR, outFrames, 0);
            this.err = new PrintStream(errFrames, true, StandardCharsets.UTF_8);
        }

        /** On its own thread: the command, then its exit code. */
        void execute(DaemonWire.Request req, String[] args) {
            int code = Cli.ERROR;
            if (threadInterrupted) {
                Thread.currentThread().interrupt(); // interrupted before this thread started: stop at once
            }
            try {
                String home = req.env().get("HOME");
                Cli cli = new Cli(
                        req.env(),
                        Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home", ".")),
                        Path.of(req.cwd()),
                        out,
                        err,
                        this,
                        req.terminal(),
                        this);
                code = cli.execute(args);
            } catch (RuntimeException | Error e) {
                err.println("xnat-reactive: " + e);
                if (Fatal.isFatal(e)) {
                    throw e;
                }
            } finally {
                if (threadInterrupted) {
                    code = Cli.INTERRUPTED; // as a signal ends a command in its own JVM: silently, 130
                }
                Thread.interrupted(); // the exit code must go out whatever interrupted this thread
                out.flush();
                err.flush();
                enqueue(DaemonWire.EXIT, DaemonWire.intBytes(code));
            }
        }

        /** On the connection's thread: sends what the command puts out, up to and with its exit code. */
        void write(DaemonWire wire) {
            boolean clientGone = false;
            while (true) {
                DaemonWire.Frame f;
                try {
                    f = toClient.poll(FLUSH.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (f == null) {
                    outFrames.sendIfIdle(); // what a slow command printed waits at most this long
                    continue;
                }
                if (f.type() == DaemonWire.EXIT) {
                    commandEnds(this);
                }
                if (!clientGone) {
                    try {
                        wire.send(f.type(), f.body());
                    } catch (IOException e) {
                        clientGone = true;
                        gone = true;
                    }
                }
                if (f.type() == DaemonWire.EXIT) {
                    return;
                }
            }
        }

        /** Queues a frame for the client, waiting while the queue is full; false when interrupted meanwhile. */
        boolean enqueue(byte type, byte[] body) {
            try {
                toClient.put(new DaemonWire.Frame(type, body));
                return true;
            } catch (InterruptedException e) {
                gone = true; // the command is being stopped: its output no longer matters
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Reads what the client sends while the command runs: answers, an interrupt, or its end. */
        void readClient(DaemonWire wire) {
            try {
                while (true) {
                    DaemonWire.Frame f = wire.read();
                    if (f.type() == DaemonWire.ANSWER) {
                        answers.add(
                                f.body().length == 0
                                        ? Optional.empty()
                                        : Optional.of(f.text().substring(1)));
                    } else if (f.type() == DaemonWire.INTERRUPT) {
                        interrupt();
                    }
                }
            } catch (IOException gone) {
                // the client ended (or was killed) before its command: stop the command as its signal would
                answers.add(Optional.empty());
                interrupt();
            }
        }

        /**
         * Ctrl-C, SIGTERM or the client's end. A command that registered hooks (a transfer: it cancels its files in
         * flight and says so) runs them; any other is stopped as a signal stops it in its own JVM: at once and
         * without a word (its thread is interrupted, which cancels what it waits for, and its output is dropped).
         */
        void interrupt() {
            if (ended.getCount() == 0 || !interrupted.compareAndSet(false, true)) {
                return;
            }
            answers.add(Optional.empty()); // a question waiting for its answer gets none
            if (hooks.isEmpty()) {
                gone = true;
                threadInterrupted = true;
                Thread r = runner;
                if (r != null) {
                    r.interrupt();
                }
            } else {
                for (Thread h : hooks) {
                    h.start();
                }
            }
        }

        void awaitEnd(long deadlineNanos) {
            try {
                ended.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void add(Thread hook) {
            hooks.add(hook);
            if (interrupted.get()) {
                hooks.remove(hook);
                hook.start(); // interrupted before it could register
            }
        }

        @Override
        public void remove(Thread hook) {
            hooks.remove(hook);
        }

        @Override
        public char[] readSecret(String prompt) {
            String s = ask(DaemonWire.ASK_SECRET, prompt);
            return s == null ? null : s.toCharArray();
        }

        @Override
        public String readLine(String prompt) {
            return ask(DaemonWire.ASK_LINE, prompt);
        }

        private String ask(byte type, String prompt) {
            out.flush();
            if (!enqueue(type, prompt.getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
            try {
                return answers.take().orElse(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * Bytes written to it go to the client as frames of one type, in pieces of up to {@code piece} bytes (0: each
     * flush sends what it has); it flushes another stream first, so that the two keep their order.
     */
    private static final class Frames extends OutputStream {
        private final Command command;
        private final byte type;
        private final Frames before;
        private final int piece;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        Frames(Command command, byte type, Frames before, int piece) {
            this.command = command;
            this.type = type;
            this.before = before;
            this.piece = piece;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (before != null) {
                before.flush();
            }
            lock.lock();
            try {
                if (command.gone) {
                    return; // as output to a closed pipe: the command goes on, its output is lost
                }
                pending.write(b, off, len);
                if (pending.size() >= piece && piece > 0) {
                    send();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void flush() {
            lock.lock();
            try {
                send();
            } finally {
                lock.unlock();
            }
        }

        /** For the connection's thread when it has nothing to send: what waits, unless the command is writing. */
        void sendIfIdle() {
            if (lock.tryLock()) {
                try {
                    if (pending.size() > 0 && !command.gone) {
                        // the queue is empty now and only this thread takes from it: there is room
                        if (command.toClient.offer(new DaemonWire.Frame(type, pending.toByteArray()))) {
                            pending.reset();
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        private void send() {
            if (pending.size() == 0 || command.gone) {
                pending.reset();
                return;
            }
            byte[] body = pending.toByteArray();
            pending.reset();
            command.enqueue(type, body);
        }
    }
}
