import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals installations (their bot and refresh tokens) with AES-256-GCM before they reach a store: encrypted, and
 * authenticated together with the record's key, so a sealed installation copied onto another workspace's record
 * does not open. Key rotation: the first key seals; every configured key opens, found by the short id written
 * beside the ciphertext; what an older key sealed reads as stale, and the installation store re-seals it.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext>.<tag>`, each part base64url.
 */
const VERSION = 'v1';
const IV_BYTES = 12;

export class InstallationSealError extends Error {}

export class InstallationSeal {
  private readonly keys: Map<string, Buffer>;
  private readonly currentKeyId: string;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== 32)) throw new Error('InstallationSeal needs 32-byte keys');
    this.keys = new Map(keys.map((key) => [keyId(key), key]));
    this.currentKeyId = keyId(keys[0]!);
  }

  seal(plaintext: string, recordKey: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv).setAAD(Buffer.from(recordKey));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentKeyId, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The plaintext, and whether it was sealed with a key other than the current one. */
  open(sealed: string, recordKey: string): { plaintext: string; stale: boolean } {
    const [version, id, iv, ciphertext, tag] = sealed.split('.');
    if (version !== VERSION || !id || !iv || ciphertext === undefined || !tag) throw new InstallationSealError('not a sealed installation');
    const key = this.keys.get(id);
    if (!key) throw new InstallationSealError(`sealed with a key that is not configured (key id ${id}): add it to CASEOPS_ENCRYPTION_KEY after the current key`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(recordKey));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      return { plaintext, stale: id !== this.currentKeyId };
    } catch {
      throw new InstallationSealError('the sealed installation does not open: altered, or not sealed for this record');
    }
  }
}

/** A short, non-secret name for a key: which of the configured keys sealed a record. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('caseops installation key id').update(key).digest('base64url').slice(0, 8);
}
