package io.dataflow.transform;

import io.dataflow.transform.Rule.MaskMethod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces one column's values as a {@link Rule.Mask} says. Deterministic: the same value and key always give the same
 * result (a replay after a crash writes the same bytes, and a value masked in two tables still joins).
 */
final class Masker {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final MaskMethod method;
    /** One keyed MAC (or digest) per thread: looking up and keying one per value costs more than hashing it. */
    private final ThreadLocal<Mac> mac;
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    });

    Masker(MaskMethod method, String key) {
        this.method = method;
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        this.mac = k.length == 0 ? null : ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(k, "HmacSHA256"));
                return m;
            } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
                throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", e);
            }
        });
    }

    MaskMethod method() {
        return method;
    }

    /** The masked value of a non-null value (as text: a string column keeps its kind, others become strings). */
    Object mask(Object value) {
        if (value == null || method == MaskMethod.NULL) {
            return null;
        }
        byte[] bytes = value instanceof byte[] b ? b : Expr.text(Expr.normal(value)).getBytes(StandardCharsets.UTF_8);
        return switch (method) {
            case HASH -> hex(digest(bytes));
            case DIGITS_MASK -> digits(Expr.text(value), null);
            case DIGITS_RANDOMIZE -> digits(Expr.text(value), digest(bytes));
            case NULL -> null;
        };
    }

    private static String digits(String s, byte[] random) {
        StringBuilder out = new StringBuilder(s.length());
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(random == null ? '#' : (char) ('0' + Math.floorMod(random[n++ % random.length] + n / random.length, 10)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private byte[] digest(byte[] value) {
        return mac == null ? sha256.get().digest(value) : mac.get().doFinal(value);
    }

    private static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 15];
            out[2 * i + 1] = HEX[b[i] & 15];
        }
        return new String(out);
    }
}
