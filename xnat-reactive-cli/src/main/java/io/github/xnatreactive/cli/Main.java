package io.github.xnatreactive.cli;

import java.nio.file.Path;
import java.util.Map;

/** {@code java -jar xnat-reactive.jar COMMAND ...}: see {@code xnat-reactive --help}. */
public final class Main {
    /** How long shutdown hooks may take after SIGTERM (or the end) before the process is halted. */
    private static final long SHUTDOWN_GRACE_MILLIS = 5_000;

    private static volatile int exitCode = 143; // 128 + SIGTERM, unless main ends first

    private Main() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        // Netty's flight-recorder events would start the JDK's JFR machinery at the first buffer (~50 ms of a
        // short command); -Dio.netty.jfr.enabled=true keeps them
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        configureLogging(env);
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
        exitCode = code;
        System.exit(code);
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

    /** A shutdown hook that hangs (no memory, a stuck close) must not keep the process alive after SIGTERM. */
    private static void haltIfShutdownHangs() {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(SHUTDOWN_GRACE_MILLIS);
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
