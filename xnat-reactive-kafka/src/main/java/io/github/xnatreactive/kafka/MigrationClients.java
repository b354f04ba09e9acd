package io.github.xnatreactive.kafka;

import io.github.xnatreactive.core.XnatClient;

/**
 * Where a worker gets its clients: a work record names its servers by URL only (never credentials), and each
 * worker connects with its own. The worker asks once per URL and keeps the client; the caller closes them.
 *
 * <p>Example: {@code MigrationClients clients = url -> XnatClient.builder().serverUrl(url).fromEnvironment().build();}
 */
@FunctionalInterface
public interface MigrationClients {
    /**
     * A client for a server of the migration.
     *
     * @param url the server's URL, as the planner wrote it
     * @param source true for the server sessions are read from, false for the destination
     * @return a client for it, with the credentials this worker has for that server
     */
    XnatClient client(String url, boolean source);
}
