/**
 * Bulk transfers on top of the core client: {@link io.github.xnatreactive.bulk.BulkClient} downloads, uploads and
 * mirrors whole sessions in parallel, verified, resumable. Only {@code io.github.xnatreactive.bulk} is API.
 */
module io.github.xnatreactive.bulk {
    requires transitive io.github.xnatreactive.core;
    requires io.github.xnatreactive.dicom;
    requires io.netty.handler;
    requires io.netty.buffer;
    requires io.netty.common;
    requires org.slf4j;
    requires java.management;

    exports io.github.xnatreactive.bulk;
}
