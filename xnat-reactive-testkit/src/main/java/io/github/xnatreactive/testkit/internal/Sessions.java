package io.github.xnatreactive.testkit.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Server sessions (JSESSIONID): created on a successful login, expired after the configured idle timeout, all
 * invalidated at once every {@code expireEvery} when fault injection asks for it.
 */
public final class Sessions {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final long timeoutMillis;
    private final long expireEveryMillis;
    private final LongSupplier clock;
    private final long startMillis;

    /** A logged-in session. {@code lastAccess} moves on each request. */
    public static final class Session {
        public final String id;
        public final Store.User user;
        final long epoch;
        volatile long lastAccess;

        Session(String id, Store.User user, long epoch, long now) {
            this.id = id;
            this.user = user;
            this.epoch = epoch;
            this.lastAccess = now;
        }

        @Override
        public String toString() {
            return "Session[" + user.login() + "]";
        }
    }

    public Sessions(Duration timeout, Duration expireEvery, LongSupplier clock) {
        this.clock = clock;
        this.startMillis = clock.getAsLong();
        this.timeoutMillis = timeout.toMillis();
        this.expireEveryMillis = expireEvery == null ? 0 : expireEvery.toMillis();
        try {
            this.random = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Seed now, on the starting thread, so that later calls never read the OS entropy source on an event loop.
        this.random.nextBytes(new byte[16]);
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** XNAT's {@code SESSION_EXPIRATION_TIME} cookie: {@code "<now ms>,<timeout ms>"}, set on every request. */
    public String expirationCookie() {
        return "SESSION_EXPIRATION_TIME=\"" + clock.getAsLong() + "," + timeoutMillis + "\"; Version=1; Path=/";
    }

    private long epoch(long now) {
        return expireEveryMillis <= 0 ? 0 : (now - startMillis) / expireEveryMillis;
    }

    public Session create(Store.User user) {
        byte[] b = new byte[16];
        synchronized (random) {
            random.nextBytes(b);
        }
        long now = clock.getAsLong();
        Session s = new Session(HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT), user, epoch(now), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with this id, touched; null when unknown, timed out or expired by fault injection. */
    public Session find(String id) {
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        long now = clock.getAsLong();
        if (now - s.lastAccess > timeoutMillis || s.epoch != epoch(now)) {
            sessions.remove(id);
            return null;
        }
        s.lastAccess = now;
        return s;
    }

    public void invalidate(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session now (what a server restart or a mass expiry does to clients). */
    public void invalidateAll() {
        sessions.clear();
    }

    public int count() {
        return sessions.size();
    }
}
