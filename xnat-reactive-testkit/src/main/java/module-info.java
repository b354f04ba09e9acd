/**
 * An XNAT-compatible server for tests and demos: {@link io.github.xnatreactive.testkit.XnatTestServer}, its JUnit 5
 * extension, seeding and fault injection. Only {@code io.github.xnatreactive.testkit} is API. JUnit and BlockHound
 * are optional: they are needed only by the extension and the BlockHound integration that use them.
 */
module io.github.xnatreactive.testkit {
    requires reactor.core;
    requires org.reactivestreams;
    requires reactor.netty.core;
    requires reactor.netty.http;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.codec.http;
    requires io.netty.transport;
    requires java.xml;
    requires org.slf4j;
    requires org.apache.commons.compress;
    requires io.github.xnatreactive.dicom;
    requires static org.junit.jupiter.api;
    requires static reactor.blockhound;

    exports io.github.xnatreactive.testkit;
}
