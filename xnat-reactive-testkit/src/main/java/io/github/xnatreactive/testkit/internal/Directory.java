package io.github.xnatreactive.testkit.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The site's users and their alias tokens. Thread-safe on its own monitor (logins happen outside the store's
 * transactions). The first user added is a site administrator. The guest, which anonymous callers act as when the
 * site allows them, is not a listed user.
 */
public final class Directory {
    /** XNAT's default alias token lifetime ({@code aliasTokenTimeout}): two days. */
    public static final long TOKEN_LIFETIME_MILLIS = 2L * 24 * 60 * 60 * 1000;

    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final Map<String, Store.User> users = new LinkedHashMap<>();
    private final Map<String, Token> tokens = new LinkedHashMap<>();
    private final LongSupplier clock;
    private final SecureRandom random;
    private final Store.User guest = new Store.User(Access.GUEST, null, 0, false);
    private int nextId = 1;
    private long nextTokenId = 1;
    private volatile boolean guestAccess;

    /** An alias token: the alias and secret log in as {@code login} until {@code expires} or invalidation. */
    public static final class Token {
        public final long id;
        public final String alias;
        final String secret;
        public final String login;
        public final long created;
        public final long expires;
        volatile long disabled;

        Token(long id, String alias, String secret, String login, long created, long expires) {
            this.id = id;
            this.alias = alias;
            this.secret = secret;
            this.login = login;
            this.created = created;
            this.expires = expires;
        }

        public String secret() {
            return secret;
        }

        boolean valid(long now) {
            return disabled == 0 && now < expires;
        }

        /** XNAT's JSON for a token ({@code /data/services/tokens/issue}, {@code /show}). */
        String json() {
            StringBuilder b = new StringBuilder("{\"alias\":");
            Json.string(b, alias).append(",\"secret\":");
            Json.string(b, secret).append(",\"xdatUserId\":");
            Json.string(b, login)
                    .append(",\"singleUse\":false,\"estimatedExpirationTime\":")
                    .append(expires)
                    .append(",\"validIPAddresses\":[],\"id\":")
                    .append(id)
                    .append(",\"enabled\":")
                    .append(disabled == 0)
                    .append(",\"created\":")
                    .append(created)
                    .append(",\"timestamp\":")
                    .append(created)
                    .append(",\"disabled\":")
                    .append(disabled)
                    .append('}');
            return b.toString();
        }

        @Override
        public String toString() {
            return "Token[" + alias + " for " + login + "]";
        }
    }

    Directory(LongSupplier clock) {
        this.clock = clock;
        try {
            this.random = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Seed on the constructing thread, never on an event loop.
        this.random.nextBytes(new byte[16]);
    }

    /** Lets anonymous callers in as the guest (XNAT's {@code requireLogin=false}). */
    public void guestAccess(boolean allowed) {
        this.guestAccess = allowed;
    }

    /** The guest user when the site allows anonymous callers, else null. */
    public Store.User guestOrNull() {
        return guestAccess ? guest : null;
    }

    /**
     * Adds a user; the first one is a site administrator.
     *
     * @throws XnatError 409 when the login is taken, 400 for an empty login or one with {@code :} or {@code /}
     */
    public synchronized Store.User add(String login, String password, Boolean admin) {
        if (login == null || login.isEmpty() || login.contains(":") || login.contains("/")) {
            throw XnatError.badRequest("A user login must be non-empty, without ':' or '/'.");
        }
        if (users.containsKey(login) || Access.GUEST.equals(login)) {
            throw XnatError.conflict("A user with the login " + login + " already exists.");
        }
        Store.User u = new Store.User(login, password, nextId++, admin == null ? users.isEmpty() : admin);
        users.put(login, u);
        return u;
    }

    public synchronized Store.User user(String login) {
        return users.get(login);
    }

    public synchronized List<Store.User> users() {
        return new ArrayList<>(users.values());
    }

    /** The enabled user a password, or an alias token's alias and secret, log in; null otherwise. */
    public synchronized Store.User authenticate(String login, String password) {
        Store.User u = users.get(login);
        if (u != null && u.password() != null && u.password().equals(password)) {
            return u.enabled ? u : null;
        }
        Token t = tokens.get(login);
        if (t != null && t.secret.equals(password) && t.valid(clock.getAsLong())) {
            Store.User owner = users.get(t.login);
            return owner != null && owner.enabled ? owner : null;
        }
        return null;
    }

    // ------------------------------------------------------------------ alias tokens (contract section 6.5)

    public synchronized Token issue(Store.User u) {
        long now = clock.getAsLong();
        char[] secret = new char[64];
        byte[] seed = new byte[16];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = ALNUM[random.nextInt(ALNUM.length)];
        }
        random.nextBytes(seed);
        Token t = new Token(
                nextTokenId++,
                UUID.nameUUIDFromBytes(seed).toString(),
                new String(secret),
                u.login(),
                now,
                now + TOKEN_LIFETIME_MILLIS);
        tokens.put(t.alias, t);
        return t;
    }

    /** The live tokens of a user. */
    public synchronized List<Token> tokensOf(String login) {
        long now = clock.getAsLong();
        List<Token> out = new ArrayList<>();
        for (Token t : tokens.values()) {
            if (t.login.equals(login) && t.valid(now)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The token with this alias (live or not), or null. */
    public synchronized Token token(String alias) {
        return tokens.get(alias);
    }

    /** The login a live token's alias and secret name, or null. */
    public synchronized String validate(String alias, String secret) {
        Token t = tokens.get(alias);
        return t != null && t.secret.equals(secret) && t.valid(clock.getAsLong()) ? t.login : null;
    }

    public synchronized void invalidate(Token t) {
        if (t.disabled == 0) {
            t.disabled = Math.max(1, clock.getAsLong());
        }
    }
}
