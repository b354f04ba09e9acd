package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the standalone server jar with real third-party clients: pyxnat (Debian python3-pyxnat,
 * {@code src/test/python/pyxnat_check.py}) and curl ({@code src/test/shell/curl_check.sh}).
 *
 * <p>The jar is started as a child process with {@code --port 0}; the base URL is the first stdout
 * line that looks like one. Missing clients skip the test locally, but fail it when {@code CI=true}.
 */
class ThirdPartyClientsIT {

    private static final long STARTUP_TIMEOUT_SECONDS = 60;
    private static final long CLIENT_TIMEOUT_MINUTES = 5;
    private static final Pattern BASE_URL = Pattern.compile("^https?://\\S+$");
    private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");

    private static final Path MODULE_DIR =
            Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path JAR = MODULE_DIR.resolve("target/xnat-reactive-testkit.jar");
    private static final Path PYXNAT_SCRIPT = MODULE_DIR.resolve("src/test/python/pyxnat_check.py");
    private static final Path PYXNAT_ACCESS_SCRIPT = MODULE_DIR.resolve("src/test/python/pyxnat_access_check.py");
    private static final Path CURL_SCRIPT = MODULE_DIR.resolve("src/test/shell/curl_check.sh");

    /** Python with pyxnat; the Debian package installs it for /usr/bin/python3. */
    private static final String PYTHON = System.getenv().getOrDefault("PYXNAT_PYTHON", "/usr/bin/python3");

    @TempDir
    static Path tempDir;

    private static Process server;
    private static String baseUrl;
    private static final Deque<String> serverStderr = new ArrayDeque<>();
    private static final List<String> serverStdout = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(JAR)
                .as("standalone jar (built by 'package'); failsafe runs after it")
                .isRegularFile();
        Path data = Files.createDirectories(tempDir.resolve("data"));
        List<String> command = List.of(
                javaExecutable(),
                "-jar",
                JAR.toString(),
                "--port",
                "0",
                "--data",
                data.toString(),
                "--user",
                "admin:admin",
                "--user",
                "alice:alicepw",
                "--user-profile",
                "alice:Alice:Liddell:alice@example.org");
        server = new ProcessBuilder(command).directory(MODULE_DIR.toFile()).start();
        server.getOutputStream().close();

        CompletableFuture<String> url = new CompletableFuture<>();
        drain(
                "server-stdout",
                server.getInputStream(),
                line -> {
                    synchronized (serverStdout) {
                        serverStdout.add(line);
                    }
                    if (!url.isDone() && BASE_URL.matcher(line.strip()).matches()) {
                        url.complete(line.strip());
                    }
                },
                () -> url.completeExceptionally(new IllegalStateException("server stdout closed before a base URL")));
        drain(
                "server-stderr",
                server.getErrorStream(),
                line -> {
                    synchronized (serverStderr) {
                        serverStderr.addLast(line);
                        if (serverStderr.size() > 300) {
                            serverStderr.removeFirst();
                        }
                    }
                },
                () -> {});

        try {
            baseUrl = url.get(STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            fail("server did not print its base URL within %ds (%s)%n%s", STARTUP_TIMEOUT_SECONDS, e, serverLog());
        }
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy();
        if (!server.waitFor(15, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void pyxnatDrivesTheStandaloneServer() throws Exception {
        requirePyxnat();
        runClientScript(
                "pyxnat", List.of(PYTHON, PYXNAT_SCRIPT.toString(), baseUrl, "admin", "admin", workDir("pyxnat")));
    }

    /** Access (users, project roles, accessibility, sharing) with pyxnat, as the ordinary user alice too. */
    @Test
    void pyxnatAccessChecks() throws Exception {
        requirePyxnat();
        runClientScript(
                "pyxnat-access",
                List.of(PYTHON, PYXNAT_ACCESS_SCRIPT.toString(), baseUrl, "admin", "admin", "alice", "alicepw"));
    }

    @Test
    void curlDrivesTheStandaloneServer() throws Exception {
        requireTool("curl (curl --version)", "curl", "--version");
        requireTool("python3 for zip/JSON checks in curl_check.sh (" + PYTHON + " --version)", PYTHON, "--version");
        runClientScript(
                "curl",
                List.of("bash", CURL_SCRIPT.toString(), baseUrl, "admin", "admin", workDir("curl")),
                "PYTHON",
                PYTHON);
    }

    private static void requirePyxnat() throws InterruptedException {
        requireTool(
                "pyxnat (" + PYTHON + " -c 'import pyxnat'; install the Debian package python3-pyxnat)",
                PYTHON,
                "-c",
                "import pyxnat");
    }

    private static void runClientScript(String name, List<String> command, String... env) throws Exception {
        Path output = tempDir.resolve(name + "-output.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(MODULE_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        for (int i = 0; i + 1 < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(CLIENT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        System.out.printf("---- %s against %s ----%n%s%n", name, baseUrl, text);
        String context = String.format(
                "%s check %s%n---- output ----%n%s%n---- server log (tail) ----%n%s", name, command, text, serverLog());
        assertThat(finished)
                .as("%s did not finish within %d minutes%n%s", name, CLIENT_TIMEOUT_MINUTES, context)
                .isTrue();
        assertThat(process.exitValue())
                .as("exit code of the %s%n%s", name, context)
                .isZero();
        Matcher summary = SUMMARY.matcher(text);
        assertThat(summary.find()).as("summary line%n%s", context).isTrue();
        assertThat(Integer.parseInt(summary.group(1)))
                .as("passed checks%n%s", context)
                .isPositive();
        assertThat(Integer.parseInt(summary.group(2)))
                .as("failed checks%n%s", context)
                .isZero();
    }

    /** Skips the test when a client tool is missing, unless CI=true (then it fails). */
    private static void requireTool(String what, String... probe) throws InterruptedException {
        String problem = null;
        try {
            Process p = new ProcessBuilder(probe)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "probe timed out";
            } else if (p.exitValue() != 0) {
                problem = "probe exited with " + p.exitValue();
            }
        } catch (IOException e) {
            problem = e.getMessage();
        }
        if (problem == null) {
            return;
        }
        String message = "third-party client not available: " + what + ": " + problem;
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true: CI must provide it, see .ci/run)");
        }
        Assumptions.assumeTrue(false, message + " (test skipped; set up the client to run it)");
    }

    private static String workDir(String name) throws IOException {
        return Files.createDirectories(tempDir.resolve("work-" + name)).toString();
    }

    private static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void drain(String threadName, InputStream in, Consumer<String> onLine, Runnable onEof) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            onLine.accept(line);
                        }
                    } catch (IOException e) {
                        // the process went away; nothing more to read
                    } finally {
                        onEof.run();
                    }
                },
                threadName);
        t.setDaemon(true);
        t.start();
    }

    private static String serverLog() {
        StringBuilder sb = new StringBuilder();
        synchronized (serverStdout) {
            sb.append("[stdout] ")
                    .append(String.join("\n[stdout] ", serverStdout))
                    .append('\n');
        }
        synchronized (serverStderr) {
            for (String line : serverStderr) {
                sb.append("[stderr] ").append(line).append('\n');
            }
        }
        if (server != null && !server.isAlive()) {
            sb.append("[server exited with ").append(server.exitValue()).append("]\n");
        }
        return sb.toString();
    }
}
