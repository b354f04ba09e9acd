package io.github.xnatreactive.cli;

import java.nio.file.Path;
import java.util.Map;

/** {@code java -jar xnat-reactive.jar COMMAND ...}: see {@code xnat-reactive --help}. */
public final class Main {
    /** How long shutdown hooks may take after SIGTERM (or the end) before the process is halted, by default. */
    private static final long SHUTDOWN_GRACE_MILLIS = 5_000;

    /** The same, as a command that stops gracefully sets it while it runs ({@link #shutdownGrace}). */
    private static volatile long shutdownGraceMillis = SHUTDOWN_GRACE_MILLIS;

    private static volatile int exitCode = 143; // 128 + SIGTERM, unless main ends first

    /** Whether {@link #main} runs this JVM, and when its command has ended (its output printed and flushed). */
    private static volatile boolean running;

    private static final java.util.concurrent.CountDownLatch COMMAND_ENDED = new java.util.concurrent.CountDownLatch(1);

    private Main() {}

    public static void main(String[] args) {
        running = true;
        Map<String, String> env = System.getenv();
        prepareJvm(env);
        Fatal.install(System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(Main::haltIfShutdownHangs, "xnat-reactive-shutdown"));
        String home = env.get("HOME");
        Cli cli = new Cli(
                env,
                Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home", ".")),
                System.out,
                System.err,
                new Terminal(),
                Terminal.stderrIsTerminal());
        int code = cli.execute(args);
        System.out.flush();
        System.err.flush();
        exitCode = code;
        COMMAND_ENDED.countDown();
        System.exit(code);
    }

    /** What a JVM that runs commands (this one, or the daemon's) sets before anything else. */
    static void prepareJvm(Map<String, String> env) {
        // Netty's flight-recorder events would start the JDK's JFR machinery at the first buffer (~50 ms of a
        // short command); -Dio.netty.jfr.enabled=true keeps them
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        configureLogging(env);
    }

    /**
     * At the default log level, library logs come without stack traces and Netty's warnings are off (the CLI says
     * what failed itself); {@code XNAT_LOG_LEVEL=debug} shows everything. Read by logback.xml, so set before the
     * first logger.
     */
    private static void configureLogging(Map<String, String> env) {
        String level = env.getOrDefault("XNAT_LOG_LEVEL", "");
        if (level.equalsIgnoreCase("debug") || level.equalsIgnoreCase("trace")) {
            System.setProperty("XNAT_LOG_EXCEPTIONS", "%ex");
            System.setProperty("XNAT_NETTY_LOG_LEVEL", level);
        }
    }

    /**
     * Lets the shutdown hooks take {@code grace} (a command's graceful stop), or the default again when null. Set
     * before a signal comes: the watchdog reads it when the shutdown starts.
     */
    static void shutdownGrace(java.time.Duration grace) {
        shutdownGraceMillis = grace == null ? SHUTDOWN_GRACE_MILLIS : Math.max(SHUTDOWN_GRACE_MILLIS, grace.toMillis());
    }

    /**
     * For a shutdown hook that lets a command stop gracefully: waits at most {@code limit} for the command's end, as
     * {@link #main} tells it when it runs this JVM (after the command printed what it prints), else for
     * {@code otherwise}.
     */
    static void awaitCommandEnd(java.util.concurrent.CountDownLatch otherwise, java.time.Duration limit) {
        try {
            (running ? COMMAND_ENDED : otherwise).await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A shutdown hook that hangs (no memory, a stuck close) must not keep the process alive after SIGTERM. */
    private static void haltIfShutdownHangs() {
        long grace = shutdownGraceMillis;
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(grace);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(exitCode);
                },
                "xnat-reactive-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
