package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The server's stored searches ({@code xdat:stored_search}) and cached results ({@code cache=true}), kept in memory
 * for the server's life. A stored search is visible to its owner, to the logins among its {@code allowed_user}s, to
 * everyone when it names none (pyxnat's {@code sharing='public'}), and to site administrators; only its owner and
 * administrators change or delete it. A cached result belongs to the user who made it. Thread-safe.
 */
final class SavedSearches {
    /** How many cached results are kept; the oldest go first (XNAT drops its materialised views too). */
    private static final int MAX_CACHED = 64;

    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_\\-.@:]+");

    /** A stored search: its ID, document and owner. */
    record Saved(String id, SearchDocument doc, String owner) {
        boolean visibleTo(Store.User u) {
            return u.admin()
                    || u.login().equals(owner)
                    || doc.allowedUsers().isEmpty()
                    || doc.allowedUsers().contains(u.login());
        }

        String name() {
            return doc.briefDescription().isEmpty() ? id : doc.briefDescription();
        }
    }

    /** A cached result and who may read it. */
    record Cached(String id, String owner, SearchEngine.Result result) {}

    private final Map<String, Saved> saved = new LinkedHashMap<>();
    private final Map<String, Cached> cached = new LinkedHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    synchronized List<Saved> visible(Store.User u) {
        List<Saved> out = new ArrayList<>();
        for (Saved s : saved.values()) {
            if (s.visibleTo(u)) {
                out.add(s);
            }
        }
        return out;
    }

    /** A stored search the user may see; 404 otherwise (XNAT does not tell hidden ones from missing ones). */
    synchronized Saved get(Store.User u, String id) {
        Saved s = saved.get(id);
        if (s == null || !s.visibleTo(u)) {
            throw XnatError.notFound("Unable to find stored search " + id + ".");
        }
        return s;
    }

    /** Creates or replaces a stored search; replacing another user's is a 403. Returns whether it was new. */
    synchronized boolean put(Store.User u, String id, SearchDocument doc) {
        if (!VALID_ID.matcher(id).matches()) {
            throw XnatError.badRequest("Invalid stored search ID: " + id);
        }
        Saved old = saved.get(id);
        if (old != null && !u.admin() && !u.login().equals(old.owner())) {
            throw XnatError.forbidden("Only the owner may change stored search " + id + ".");
        }
        saved.put(id, new Saved(id, doc, old == null ? u.login() : old.owner()));
        return old == null;
    }

    /** A fresh ID for a stored search posted without one. */
    String newId() {
        return "xs" + counter.incrementAndGet();
    }

    synchronized void delete(Store.User u, String id) {
        Saved s = get(u, id);
        if (!u.admin() && !u.login().equals(s.owner())) {
            throw XnatError.forbidden("Only the owner may delete stored search " + id + ".");
        }
        saved.remove(id);
    }

    synchronized String cache(Store.User u, SearchEngine.Result result) {
        String id = "xs" + System.currentTimeMillis() + "_" + counter.incrementAndGet();
        cached.put(id, new Cached(id, u.login(), result));
        while (cached.size() > MAX_CACHED) {
            cached.remove(cached.keySet().iterator().next());
        }
        return id;
    }

    synchronized Cached cached(Store.User u, String id) {
        Cached c = cached.get(id);
        if (c == null || !(u.admin() || c.owner().equals(u.login()))) {
            throw XnatError.notFound("Unable to find cached search " + id + ".");
        }
        return c;
    }
}
