import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * AES-256-GCM for host tokens at rest. A fresh 96-bit IV per encryption (never reused with a key);
 * the AAD binds a ciphertext to its portal and token kind, so a value copied into another portal's
 * row fails to decrypt instead of handing over someone else's access.
 */
export class TokenCipher {
  private readonly key: Buffer;
  // Built once: turning raw bytes into a key object on every digest showed up in the webhook profile.
  private readonly hmacKey: KeyObject;

  constructor(keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('TokenCipher: the key must be 32 bytes');
    this.hmacKey = createSecretKey(this.key);
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(sealed: string, aad: string): string {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('TokenCipher: unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A keyed digest for secrets we only ever compare (application tokens, webhook secrets). */
  digest(secret: string): string {
    return createHmac('sha256', this.hmacKey).update(secret, 'utf8').digest('base64url');
  }

  /** Constant-time comparison of a presented secret against a stored digest. */
  matches(presented: string, storedDigest: string | null): boolean {
    if (!storedDigest) return false;
    const a = Buffer.from(this.digest(presented));
    const b = Buffer.from(storedDigest);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
