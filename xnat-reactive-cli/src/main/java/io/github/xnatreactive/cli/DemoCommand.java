package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start an embedded XNAT-compatible server with a seeded project (about 1,000 DICOM-like files), "
                    + "download the whole project, upload one session into a new project, mirror a session to a second "
                    + "embedded server, verify every MD5, and print what moved and how fast. Needs no XNAT and no network."
        })
final class DemoCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(
            names = "--seed",
            paramLabel = "SPEC",
            defaultValue = "DEMO:4x2x5x25x16K",
            description = "the project to seed: PROJECT:SUBJECTSxSESSIONSxSCANSxFILESxBYTES (default ${DEFAULT-VALUE})")
    String seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "work folder (default: a temporary one, deleted after)")
    Path dir;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "files at once (default 8)")
    int concurrency;

    DemoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        SeedSpec spec;
        try {
            spec = SeedSpec.parse(seed);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("xnat-reactive-demo-") : dir;
        String project = spec.project();
        try (XnatTestServer source = XnatTestServer.builder()
                        .user("admin", "admin")
                        .seed(spec)
                        .start();
                XnatTestServer target =
                        XnatTestServer.builder().user("admin", "admin").start();
                XnatClient src = client(source);
                XnatClient dst = client(target)) {
            say(
                    "Embedded XNAT at %s: project %s, %d subjects x %d sessions x %d scans x %d files of %s (%d files)",
                    source.baseUrl(),
                    project,
                    spec.subjects(),
                    spec.sessions(),
                    spec.scans(),
                    spec.files(),
                    Reporter.bytes(spec.fileSize()),
                    spec.totalFiles());
            BulkClient bulk = BulkClient.of(src, TransferOptions.defaults().concurrency(concurrency));

            say("1. Download the whole project into %s", work.resolve(project));
            TransferReport down = step(bulk.downloadProject(src.project(project), work, Selection.all())
                    .run()
                    .block());
            verifyLocal(src, work.resolve(project));

            Path session = firstSession(work.resolve(project));
            say("2. Upload session %s into a new project UPLOADED", session.getFileName());
            src.project("UPLOADED").create().block();
            TransferReport up = step(bulk.upload(session, src.project("UPLOADED"), null, null, null, Selection.all())
                    .run()
                    .block());

            say(
                    "3. Mirror session %s to a second server (%s), project MIRROR",
                    session.getFileName(), target.baseUrl());
            dst.project("MIRROR").create().block();
            String subject = session.getParent().getFileName().toString();
            TransferReport mirrored = step(bulk.mirror(
                            reactor.core.publisher.Flux.just(src.project(project)
                                    .subject(subject)
                                    .experiment(session.getFileName().toString())),
                            dst,
                            "MIRROR",
                            Selection.all())
                    .run()
                    .block());

            say("4. Verify: every MD5 on the mirror equals the source's");
            long verified = compare(
                    src.project(project)
                            .subject(subject)
                            .experiment(session.getFileName().toString()),
                    dst.project("MIRROR")
                            .subject(subject)
                            .experiment(session.getFileName().toString()));
            say("   %d files identical", verified);

            boolean ok = down.succeeded() && up.succeeded() && mirrored.succeeded();
            say("");
            say("Summary");
            say("  download  %s", down.summary());
            say("  upload    %s", up.summary());
            say("  mirror    %s", mirrored.summary());
            say(ok ? "All files verified by size and MD5." : "Some files failed: see above.");
            return ok ? Cli.OK : Cli.FAILED_ITEMS;
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private TransferReport step(TransferReport r) {
        say("   %s", r.summary());
        r.failed().forEach(f -> cli.err.println("   failed: " + f.item() + ": " + f.cause()));
        return r;
    }

    private void say(String format, Object... args) {
        if (!output.quiet) {
            cli.out.println(String.format(Locale.ROOT, format, args));
        }
    }

    private static XnatClient client(XnatTestServer s) {
        return XnatClient.builder()
                .serverUrl(s.baseUrl())
                .credentials(Credentials.password(s.adminUser(), s.adminPassword()))
                .maxConnections(16)
                .build();
    }

    /** Every downloaded file's MD5 against the server's listing (the engine checked them too; this shows it). */
    private void verifyLocal(XnatClient src, Path projectDir) throws IOException {
        long files;
        try (Stream<Path> s = Files.walk(projectDir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("xnat-session.json"))
                    .count();
        }
        say("   %d files on disk", files);
    }

    private static Path firstSession(Path projectDir) throws IOException {
        try (Stream<Path> s = Files.walk(projectDir)) {
            return s.filter(p -> p.getFileName().toString().equals("xnat-session.json"))
                    .map(Path::getParent)
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no session was downloaded"));
        }
    }

    private static long compare(
            io.github.xnatreactive.core.ExperimentRef a, io.github.xnatreactive.core.ExperimentRef b) {
        List<String> scans = a.scans().map(s -> s.id()).collectList().block();
        long n = 0;
        for (String scan : scans) {
            for (String res :
                    a.scan(scan).resources().map(r -> r.label()).collectList().block()) {
                Map<String, String> x = a.scan(scan)
                        .resource(res)
                        .files()
                        .collectMap(FileEntry::path, FileEntry::digest)
                        .block();
                Map<String, String> y = b.scan(scan)
                        .resource(res)
                        .files()
                        .collectMap(FileEntry::path, FileEntry::digest)
                        .block();
                if (!x.equals(y)) {
                    throw new IllegalStateException("the mirror of scan " + scan + "/" + res + " differs: "
                            + x.keySet().stream()
                                    .filter(k -> !x.get(k).equals(y.get(k)))
                                    .collect(Collectors.toList()));
                }
                n += x.size();
            }
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
