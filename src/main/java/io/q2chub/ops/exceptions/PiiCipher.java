package io.q2chub.ops.exceptions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts one PII value of a parked payload with AES-256-GCM. Each value gets its own random nonce, and the JSON
 * pointer of the field is bound as associated data, so a ciphertext moved to another field does not decrypt.
 * The result is "v1:" + base64(nonce || ciphertext+tag); the version leaves room for key rotation.
 */
final class PiiCipher {

    static final String KEY_PROPERTY = "q2c.exceptions.pii-key";
    static final String KEY_ENV = "Q2C_EXCEPTION_PII_KEY";

    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private PiiCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The cipher for a configured key, or a start-up error that says what to set; never echoes the value. */
    static PiiCipher fromBase64(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(KEY_PROPERTY + " (env " + KEY_ENV + ") is not set. Exception cases encrypt"
                    + " the PII fields of parked payloads (q2c.exceptions.pii-fields) with it, so that replay can send"
                    + " the original values. Set it to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`,"
                    + " from a secret store; keep it: cases parked under one key cannot be replayed with another.");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KEY_PROPERTY + " (env " + KEY_ENV + ") is not valid base64: it must be"
                    + " 32 random bytes in base64 (`openssl rand -base64 32`)");
        }
        if (key.length != 32) {
            throw new IllegalStateException(KEY_PROPERTY + " (env " + KEY_ENV + ") decodes to " + key.length
                    + " bytes; AES-256 needs exactly 32 (`openssl rand -base64 32`)");
        }
        return new PiiCipher(key);
    }

    String encrypt(String plaintext, String pointer) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(pointer.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The plaintext, or an exception naming the field only: a wrong key or a tampered value does not decrypt. */
    String decrypt(String sealedValue, String pointer) {
        try {
            if (!sealedValue.startsWith(VERSION)) {
                throw new GeneralSecurityException("unknown format");
            }
            byte[] all = Base64.getDecoder().decode(sealedValue.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(pointer.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PiiUnreadable(pointer);
        }
    }

    /** An encrypted field that the configured key cannot open (key changed, or the value was altered). */
    static final class PiiUnreadable extends RuntimeException {
        PiiUnreadable(String pointer) {
            super("the encrypted PII field " + pointer + " cannot be decrypted with the configured "
                    + KEY_PROPERTY + " (was the key changed since the case was parked?)");
        }
    }
}
