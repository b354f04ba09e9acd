package io.github.xnatreactive.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Captures what chosen loggers log (at a chosen level) while open; restores their levels on close. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<Logger, Level> previous = new ConcurrentHashMap<>();
    private final List<Logger> loggers = new ArrayList<>();
    /** Released once per captured event, for tests that wait for a log line. */
    final Semaphore signal = new Semaphore(0);

    LogCapture(Level level, String... loggerNames) {
        setName("capture");
        start();
        for (String name : loggerNames) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            if (l.getLevel() != null) {
                previous.put(l, l.getLevel());
            }
            l.setLevel(level);
            l.setAdditive(false); // keep the console (and its blocking writes) out of event loops
            l.addAppender(this);
            loggers.add(l);
        }
    }

    @Override
    protected void append(ILoggingEvent e) {
        e.prepareForDeferredProcessing();
        events.add(e);
        signal.release();
    }

    /** Waits (up to a generous safety limit) until {@code n} more events matching {@code contains} arrived. */
    void await(Level level, String contains, long n) throws InterruptedException {
        long target = count(level, contains) + n;
        while (count(level, contains) < target) {
            if (!signal.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no log line '" + contains + "' within 30 s");
            }
        }
    }

    /** Formatted messages, with the text of any attached throwable (and its causes). */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events) {
            StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            out.add(b.toString());
        }
        return out;
    }

    long count(Level level, String contains) {
        return events.stream()
                .filter(e -> e.getLevel().equals(level))
                .filter(e -> e.getFormattedMessage().contains(contains))
                .count();
    }

    @Override
    public void close() {
        for (Logger l : loggers) {
            l.detachAppender(this);
            l.setLevel(previous.get(l));
            l.setAdditive(true);
        }
        stop();
    }
}
