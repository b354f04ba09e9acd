package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.ObjectMapper;

/**
 * Shows a transfer: a one-line progress line on stderr when it is a terminal, JSON lines on stdout with
 * {@code --json}, and the final summary. From the start a line says the server is being listed; while the listing
 * still runs (files move from the first listed resource on), it shows "planned N / done M files" and the bytes so
 * far; once the totals are known ({@link TransferEvent.Planned}) it becomes a bar with files, bytes, rate and ETA.
 * Files already in place count as done when listed; every further file redraws the line, so that the count moves
 * by one; rate and ETA come from the last {@link #WINDOW_NANOS} of throughput. Sizes are in MB (10^6 bytes) as in the summary. Each
 * failure is printed once, when it happens. Called from transfer threads: never blocks for long.
 */
final class Reporter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The span of recent throughput that rate and ETA are computed from. */
    static final long WINDOW_NANOS = 5_000_000_000L;

    private final Cli cli;
    private final OutputOptions opts;
    private final java.util.function.LongSupplier clock;
    private final long startNanos;
    private long totalFiles;
    private long totalBytes;
    private boolean totalsKnown;
    private final AtomicLong doneFiles = new AtomicLong();
    private final AtomicLong doneBytes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** (time, bytes done) samples of the last {@link #WINDOW_NANOS}, oldest first. */
    private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();

    private volatile long lastDraw;
    private boolean drew;

    Reporter(Cli cli, OutputOptions opts) {
        this(cli, opts, System::nanoTime);
    }

    Reporter(Cli cli, OutputOptions opts, java.util.function.LongSupplier clock) {
        this.cli = cli;
        this.opts = opts;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.lastDraw = startNanos - 1_000_000_000L;
    }

    /** Before the first event: the listing can take a while on a slow server, so say that it runs. */
    synchronized void start(String what) {
        if (!opts.json && !opts.quiet && cli.terminal) {
            cli.err.print("\r" + what + "...  ");
            cli.err.flush();
            drew = true;
        }
    }

    synchronized void on(TransferEvent e) {
        if (opts.json) {
            cli.out.println(JSON.writeValueAsString(json(e)));
            return;
        }
        long filesBefore = doneFiles.get();
        if (e instanceof TransferEvent.Listed l) {
            totalFiles += l.files();
            totalBytes += l.bytes();
            doneFiles.addAndGet(l.upToDate());
        } else if (e instanceof TransferEvent.Planned p) {
            totalFiles = p.files();
            totalBytes = p.bytes();
            totalsKnown = true;
        } else if (e instanceof TransferEvent.ArchiveFallback f && !opts.quiet) {
            clearLine();
            cli.err.println("archive of " + f.group() + " incomplete ("
                    + f.cause().getMessage() + "): " + f.files() + " file(s) move one by one");
        } else if (e instanceof TransferEvent.Bytes b) {
            doneBytes.addAndGet(b.bytes());
        } else if (e instanceof TransferEvent.Completed) {
            doneFiles.incrementAndGet();
        } else if (e instanceof TransferEvent.Failed f) {
            failed.incrementAndGet();
            clearLine();
            printFailure(f.item(), f.cause());
        } else if (e instanceof TransferEvent.Finished) {
            clearLine();
            return;
        }
        // a file more done is always shown, so that the count moves by one; bytes alone redraw 5 times a second
        draw(doneFiles.get() != filesBefore);
    }

    /** Bytes per second over the last {@link #WINDOW_NANOS} (since the start while shorter). */
    private double recentRate(long now) {
        long done = doneBytes.get();
        samples.addLast(new long[] {now, done});
        while (samples.size() > 1 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
        long[] first = samples.size() > 1 ? samples.peekFirst() : new long[] {startNanos, 0};
        double secs = (now - first[0]) / 1e9;
        return secs <= 0 ? 0 : (done - first[1]) / secs;
    }

    private void draw(boolean force) {
        if (opts.quiet || !cli.terminal) {
            return;
        }
        long now = clock.getAsLong();
        double rate = recentRate(now);
        if (!force && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        String failedText = failed.get() > 0 ? "  " + failed.get() + " failed" : "";
        if (!totalsKnown) {
            cli.err.printf(
                    Locale.ROOT,
                    "\rlisting: planned %d / done %d files  %s  %s/s%s  ",
                    totalFiles,
                    doneFiles.get(),
                    bytes(doneBytes.get()),
                    bytes((long) rate),
                    failedText);
            cli.err.flush();
            drew = true;
            return;
        }
        long left = Math.max(0, totalBytes - doneBytes.get());
        String eta = rate > 0 ? formatDuration((long) Math.ceil(left / rate)) : "--:--";
        int width = 24;
        int filled = totalFiles == 0 ? width : (int) (width * doneFiles.get() / Math.max(1, totalFiles));
        String bar = "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled));
        cli.err.printf(
                Locale.ROOT,
                "\r[%s] %d/%d files  %s/%s  %s/s  ETA %s%s  ",
                bar,
                doneFiles.get(),
                totalFiles,
                bytes(doneBytes.get()),
                bytes(totalBytes),
                bytes((long) rate),
                eta,
                failedText);
        cli.err.flush();
        drew = true;
    }

    /** Removes the progress line, if one is drawn. */
    synchronized void clear() {
        clearLine();
    }

    private void clearLine() {
        if (drew) {
            cli.err.print("\r\033[K");
            cli.err.flush();
            drew = false;
        }
    }

    /**
     * The summary after the run: one line on stdout (also with --quiet), or nothing more with --json (the Finished
     * event carried the report). The failures were printed as they happened.
     */
    void finish(TransferReport r) {
        if (opts.json) {
            return;
        }
        for (TransferReport.FailedItem f : r.failed()) {
            printFailure(f.item(), f.cause()); // those without a Failed event (none is printed twice)
        }
        cli.out.println(r.summary());
    }

    /** Targets whose failure was printed. */
    private final java.util.Set<String> printedFailures = new java.util.HashSet<>();

    private synchronized void printFailure(TransferItem item, Object cause) {
        if (printedFailures.add(item.target())) {
            String why =
                    cause instanceof Throwable t && t.getMessage() != null ? t.getMessage() : String.valueOf(cause);
            cli.err.println("failed: " + item.target() + ": " + why);
        }
    }

    static Map<String, Object> json(TransferEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        if (e instanceof TransferEvent.Listed l) {
            m.put("group", l.group());
            m.put("files", l.files());
            m.put("bytes", l.bytes());
            m.put("upToDate", l.upToDate());
        } else if (e instanceof TransferEvent.Planned p) {
            m.put("files", p.files());
            m.put("bytes", p.bytes());
            m.put("upToDate", p.upToDate());
        } else if (e instanceof TransferEvent.Archived a) {
            m.put("group", a.group());
            m.put("files", a.files());
            m.put("bytes", a.bytes());
        } else if (e instanceof TransferEvent.ArchiveFallback f) {
            m.put("group", f.group());
            m.put("files", f.files());
            m.put("cause", String.valueOf(f.cause().getMessage()));
        } else if (e instanceof TransferEvent.Started s) {
            item(m, s.item());
        } else if (e instanceof TransferEvent.Bytes b) {
            item(m, b.item());
            m.put("bytes", b.bytes());
        } else if (e instanceof TransferEvent.Retried r) {
            item(m, r.item());
            m.put("attempt", r.attempt());
            m.put("cause", r.cause());
        } else if (e instanceof TransferEvent.Completed c) {
            item(m, c.item());
            m.put("bytes", c.bytes());
        } else if (e instanceof TransferEvent.Skipped s) {
            item(m, s.item());
        } else if (e instanceof TransferEvent.Failed f) {
            item(m, f.item());
            m.put("cause", String.valueOf(f.cause().getMessage()));
        } else if (e instanceof TransferEvent.Finished f) {
            report(m, f.report());
        }
        return m;
    }

    static void report(Map<String, Object> m, TransferReport r) {
        m.put("files", r.files());
        m.put("bytes", r.bytes());
        m.put("skipped", r.skipped());
        m.put("retried", r.retried());
        m.put("seconds", r.duration().toNanos() / 1e9);
        m.put("bytesPerSecond", r.bytesPerSecond());
        m.put("succeeded", r.succeeded());
        m.put(
                "failed",
                r.failed().stream()
                        .map(f -> Map.of(
                                "source", f.item().source(), "target", f.item().target(), "cause", f.cause()))
                        .toList());
    }

    private static void item(Map<String, Object> m, TransferItem i) {
        m.put("source", i.source());
        m.put("target", i.target());
        m.put("size", i.size());
    }

    /** A size in the summary's units: B, kB, MB, GB, TB (powers of 1000). */
    static String bytes(long b) {
        if (b < 1000) {
            return b + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String formatDuration(long s) {
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
