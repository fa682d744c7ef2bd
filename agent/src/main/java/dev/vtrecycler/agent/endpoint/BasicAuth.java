package dev.vtrecycler.agent.endpoint;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code basic_auth_users}: HTTP basic authentication against bcrypt hashes, as the exporter-toolkit
 * does it.
 *
 * <p>Timing. Every check that is not a cache hit runs exactly one bcrypt comparison: against the
 * user's hash, or for an unknown user against a dummy hash of the highest configured cost, so the
 * answer time does not tell whether a user name exists. bcrypt runs under one lock (as in the
 * toolkit): a flood of wrong passwords costs one core, not all of them.
 *
 * <p>Cache. bcrypt at cost 10 costs tens of milliseconds of CPU, once per scrape without a cache.
 * Successful checks are remembered as an HMAC (random key per process) of user and password; only
 * successes, so a hit (fast) happens only for credentials that get a 200 anyway and the fast path
 * tells an attacker nothing the status code does not. The lookup compares against every entry with
 * {@link MessageDigest#isEqual} and without an early exit, so its time does not depend on how much
 * of an entry matched.
 */
final class BasicAuth {
    static final String CHALLENGE = "Basic realm=\"vtrecycler\", charset=\"UTF-8\"";
    private static final int CACHE_ENTRIES = 64;

    private final Map<String, String> hashes;
    private final byte[] dummyHash;
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer();
    private final Object bcryptLock = new Object();
    private final SecretKeySpec cacheKey;
    private final byte[][] cache = new byte[CACHE_ENTRIES][];
    private int nextSlot;

    BasicAuth(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
        this.dummyHash = dummyHash(maxCost(hashes), random);
    }

    /** Whether an {@code Authorization} header value (may be null) carries a configured user's password. */
    boolean permits(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon < 0) {
            return false;
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        return check(user, password);
    }

    boolean check(String user, byte[] password) {
        String hash = hashes.get(user);
        boolean known = hash != null;
        byte[] fingerprint = fingerprint(user, password);
        if (cached(fingerprint)) {
            return true; // only successful checks are cached: the entry proves user and password
        }
        boolean matches;
        synchronized (bcryptLock) {
            matches = bcryptMatches(password, known ? hash.getBytes(StandardCharsets.US_ASCII) : dummyHash);
        }
        boolean ok = known & matches;
        if (ok) {
            remember(fingerprint);
        }
        return ok;
    }

    private boolean bcryptMatches(byte[] password, byte[] hash) {
        try {
            return verifyer.verify(password, hash).verified;
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password over bcrypt's 72 bytes: it cannot match any hash
        }
    }

    private boolean cached(byte[] fingerprint) {
        boolean hit = false;
        synchronized (cache) {
            for (byte[] entry : cache) {
                // no early exit: the time is the same wherever (or whether) the entry is
                hit |= entry != null && MessageDigest.isEqual(entry, fingerprint);
            }
        }
        return hit;
    }

    private void remember(byte[] fingerprint) {
        synchronized (cache) {
            cache[nextSlot] = fingerprint;
            nextSlot = (nextSlot + 1) % CACHE_ENTRIES;
        }
    }

    /** HMAC-SHA256 over (user length, user, password): unambiguous, and useless without the process's key. */
    private byte[] fingerprint(String user, byte[] password) {
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            mac.update(ByteBuffer.allocate(4).putInt(userBytes.length).array());
            mac.update(userBytes);
            mac.update(password);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static int maxCost(Map<String, String> hashes) {
        int max = 10; // the toolkit's dummy hash has cost 10
        for (String hash : hashes.values()) {
            max = Math.max(max, Integer.parseInt(hash.substring(4, 6)));
        }
        return max;
    }

    /**
     * A valid bcrypt string whose verification costs as much as a real one of {@code cost}: hashed
     * at cost 4 (fast) from random bytes, then given the real cost, which is all verification
     * reads to decide how long to work. It matches no password anyone knows.
     */
    static byte[] dummyHash(int cost, SecureRandom random) {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        byte[] hash = BCrypt.with(BCrypt.Version.VERSION_2Y, random, LongPasswordStrategies.strict(BCrypt.Version.VERSION_2Y)).hash(4, secret);
        byte[] digits = String.format(Locale.ROOT, "%02d", cost).getBytes(StandardCharsets.US_ASCII);
        hash[4] = digits[0];
        hash[5] = digits[1];
        return hash;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
