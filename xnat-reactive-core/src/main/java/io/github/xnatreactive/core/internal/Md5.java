package io.github.xnatreactive.core.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** New MD5 digests, one per file, cheaply. */
public final class Md5 {
    /** A fresh MD5 digest, never given data: what every new one is copied from. */
    private static final MessageDigest FRESH = fromProvider();

    private Md5() {}

    /**
     * A new MD5 digest: a copy of a fresh one, which costs a small array copy where {@code getInstance} walks the
     * provider list (with one digest per file, 1 % of a small-file download's CPU went to that walk).
     */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) FRESH.clone();
        } catch (CloneNotSupportedException e) {
            return fromProvider(); // a provider whose digests cannot be copied
        }
    }

    private static MessageDigest fromProvider() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java has no MD5", e);
        }
    }
}
