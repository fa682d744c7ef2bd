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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code basic_auth_users}: HTTP basic authentication against bcrypt hashes, as the exporter-toolkit
 * does it.
 *
 * <p>Timing. Every check that is not a cache hit costs what one bcrypt comparison at the highest
 * configured cost costs, whoever the user: an unknown user is checked against a dummy hash of that
 * cost; a known user whose hash has a lower cost c is checked against it and then against dummy
 * hashes of costs c, c+1, ..., max-1 (2^c + 2^c + ... + 2^(max-1) = 2^max rounds). So the answer
 * time does not tell whether a user exists, nor which cost their hash has. Passwords are cut to their
 * first 72 bytes, as Go's bcrypt (and htpasswd) do.
 *
 * <p>Queue. bcrypt runs under one lock (as in the toolkit): a flood of wrong passwords costs one
 * core, not all of them. At most {@code queue} checks are admitted at once; the next is answered
 * at once with {@link Outcome#BUSY}. A waiting check tells its connection ({@link ConnectionHooks}), which
 * may then be evicted; the eviction interrupts the wait and the check is abandoned, so a dead
 * connection never costs a bcrypt run.
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
    /** What Go's bcrypt reads of a password: 18 words of Blowfish key schedule. */
    static final int MAX_PASSWORD_BYTES = 72;

    /** The result of a check. */
    enum Outcome {
        /** User and password match. */
        OK,
        /** No credentials, or not basic ones: no bcrypt ran. */
        UNAUTHENTICATED,
        /** bcrypt ran: user and password do not match. */
        DENIED,
        /** Too many checks queued: answer 503 at once. */
        BUSY,
        /** The connection went away while the check waited: nobody to answer. */
        ABANDONED
    }

    private final Map<String, String> hashes;
    /** Per user, the dummy hashes checked after the user's own, so every check costs 2^maxCost. */
    private final Map<String, byte[][]> padding;
    private final byte[] dummyHash;
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer();
    private final Semaphore admitted;
    /** Fair: checks run in the order they came. */
    private final ReentrantLock bcryptLock = new ReentrantLock(true);
    private final SecretKeySpec cacheKey;
    private final byte[][] cache = new byte[CACHE_ENTRIES][];
    private int nextSlot;

    /** {@code queue}: bcrypt checks admitted at once (see {@link Limits#authQueue()}). */
    BasicAuth(Map<String, String> hashes, int queue) {
        this.hashes = Map.copyOf(hashes);
        this.admitted = new Semaphore(queue);
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
        int max = maxCost(hashes);
        this.dummyHash = dummyHash(max, random);
        Map<String, byte[][]> pad = new HashMap<>();
        for (Map.Entry<String, String> e : this.hashes.entrySet()) {
            int cost = cost(e.getValue());
            byte[][] dummies = new byte[max - cost][];
            for (int c = cost; c < max; c++) {
                dummies[c - cost] = dummyHash(c, random);
            }
            pad.put(e.getKey(), dummies);
        }
        this.padding = Map.copyOf(pad);
    }

    /** Checks an {@code Authorization} header value (may be null); {@code hooks} reach the connection. */
    Outcome check(String authorization, ConnectionHooks hooks) {
        if (authorization == null || authorization.length() < 6
                || !authorization.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return Outcome.UNAUTHENTICATED;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return Outcome.UNAUTHENTICATED;
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon < 0) {
            return Outcome.UNAUTHENTICATED;
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, Math.min(decoded.length, colon + 1 + MAX_PASSWORD_BYTES));
        return check(user, password, hooks);
    }

    /** Without a connection that could go away (tests). */
    boolean permits(String authorization) {
        return check(authorization, ConnectionHooks.NONE) == Outcome.OK;
    }

    private Outcome check(String user, byte[] password, ConnectionHooks hooks) {
        String hash = hashes.get(user);
        boolean known = hash != null;
        byte[] fingerprint = fingerprint(user, password);
        if (cached(fingerprint)) {
            return Outcome.OK; // only successful checks are cached: the entry proves user and password
        }
        if (!admitted.tryAcquire()) {
            return Outcome.BUSY;
        }
        try {
            hooks.waiting();
            try {
                bcryptLock.lockInterruptibly();
            } catch (InterruptedException evicted) {
                return Outcome.ABANDONED;
            }
            try {
                if (!hooks.working()) {
                    return Outcome.ABANDONED; // evicted just as its turn came
                }
                boolean matches = bcryptMatches(password, known ? hash.getBytes(StandardCharsets.US_ASCII) : dummyHash);
                for (byte[] dummy : known ? padding.get(user) : new byte[0][]) {
                    bcryptMatches(password, dummy); // the rest of 2^maxCost rounds: see the class comment
                }
                if (!(known & matches)) {
                    return Outcome.DENIED;
                }
            } finally {
                bcryptLock.unlock();
            }
        } finally {
            admitted.release();
        }
        remember(fingerprint);
        return Outcome.OK;
    }

    private boolean bcryptMatches(byte[] password, byte[] hash) {
        try {
            return verifyer.verify(password, hash).verified;
        } catch (IllegalArgumentException e) {
            return false; // a malformed hash: it matches nothing
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
            max = Math.max(max, cost(hash));
        }
        return max;
    }

    private static int cost(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
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
