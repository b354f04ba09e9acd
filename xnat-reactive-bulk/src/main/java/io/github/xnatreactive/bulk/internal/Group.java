package io.github.xnatreactive.bulk.internal;

import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Files going to one place (a remote resource or a local folder). When {@code verify} is set, the engine lists the
 * target once after the group moved and checks every file's digest against it.
 *
 * @param verify target path to MD5 digest, read after the transfers, or null when each transfer verifies itself
 */
public record Group(String name, List<Work> works, Mono<Map<String, String>> verify) {}
