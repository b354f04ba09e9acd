package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatException;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

/** TLS: verification on by default; a CA file or trust store; trust-all only when asked, with one WARN per client. */
final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);

    private Tls() {}

    static HttpClient configure(HttpClient c, TransportConfig cfg) {
        if (!cfg.secure()) {
            return c;
        }
        Http11SslContextSpec spec = Http11SslContextSpec.forClient();
        if (cfg.insecureTrustAll()) {
            // once per client (this runs once per client): a second client must not trust all silently
            log.warn(
                    "TLS certificate verification is DISABLED for {} (insecureTrustAll): anyone on the network"
                            + " path can read and change this traffic",
                    cfg.baseUrl());
            spec = spec.configure(b -> b.trustManager(InsecureTrustManagerFactory.INSTANCE));
        } else if (cfg.caFile() != null) {
            spec = spec.configure(b -> b.trustManager(cfg.caFile().toFile()));
        } else if (cfg.trustStore() != null) {
            TrustManagerFactory tmf = trustManagers(cfg);
            spec = spec.configure(b -> b.trustManager(tmf));
        }
        Http11SslContextSpec finalSpec = spec;
        return c.secure(s -> s.sslContext(finalSpec));
    }

    private static TrustManagerFactory trustManagers(TransportConfig cfg) {
        try (InputStream in = Files.newInputStream(cfg.trustStore())) {
            KeyStore ks = KeyStore.getInstance(
                    cfg.trustStoreType() == null ? KeyStore.getDefaultType() : cfg.trustStoreType());
            ks.load(in, cfg.trustStorePassword());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (Exception e) {
            throw new XnatException("Cannot load the trust store " + cfg.trustStore() + ": " + e.getMessage(), e);
        }
    }
}
