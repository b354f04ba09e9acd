/**
 * The XNAT client: {@link io.github.xnatreactive.core.XnatClient}, the refs that name places in an XNAT archive,
 * the records that listings return, and the exception hierarchy. Only {@code io.github.xnatreactive.core} is API;
 * {@code io.github.xnatreactive.core.internal} is not exported.
 */
module io.github.xnatreactive.core {
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires transitive tools.jackson.databind;
    requires tools.jackson.core;
    requires reactor.netty.core;
    requires reactor.netty.http;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires org.slf4j;
    requires java.xml;

    exports io.github.xnatreactive.core;
    exports io.github.xnatreactive.core.search;
    // not API: the bulk module reads archives through the client's own blocking bridge (BridgeInputStream), whose
    // producer side never blocks an event loop, instead of keeping a second one
    exports io.github.xnatreactive.core.internal to
            io.github.xnatreactive.bulk;
}
