package io.github.xnatreactive.bulk.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Local file checks, off the event loops. */
public final class LocalFiles {
    private LocalFiles() {}

    /** A local file's size and MD5, or empty when it does not exist. */
    public record Stat(long size, String md5) {}

    public static Mono<Stat> stat(Path file) {
        return Mono.fromCallable(() -> {
                    if (!Files.isRegularFile(file)) {
                        return null;
                    }
                    return new Stat(
                            Files.readAttributes(file, BasicFileAttributes.class)
                                    .size(),
                            md5(file));
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Whether {@code file} exists with this size and digest (an unknown digest never matches). */
    public static Mono<Boolean> matches(Path file, long size, String digest) {
        if (digest == null || digest.isEmpty()) {
            return Mono.just(false);
        }
        return Mono.fromCallable(() -> Files.isRegularFile(file)
                        && Files.size(file) == size
                        && md5(file).equalsIgnoreCase(digest))
                .subscribeOn(Schedulers.boundedElastic());
    }

    public static String md5(Path file) throws IOException {
        MessageDigest md = newMd5();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
