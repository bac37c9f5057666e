/**
 * Verifies an update file against its detached Ed25519 signature (`<file>.sig`, written by
 * scripts/build/update-signature.mjs in the release build). The signed message binds the file's
 * published name and SHA-512. Anything short of a valid signature by the pinned key is a refusal.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const SIGNATURE_VERSION = 'batchdesk-update-signature-v1';

export type Verdict = { ok: true } | { ok: false; reason: string };

async function sha512(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

export function loadPublicKey(pem: string | null | undefined): KeyObject | null {
  if (!pem) return null;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/**
 * @param file the downloaded file on disk
 * @param name the name it was published under (the signature covers it)
 * @param signature the `.sig` file's text (base64), or null when none could be fetched
 */
export async function verifyUpdateFile(file: string, name: string, signature: string | null, publicKey: KeyObject | null): Promise<Verdict> {
  if (!publicKey) return { ok: false, reason: 'this build has no update verification key, so no update can be trusted' };
  if (signature === null) return { ok: false, reason: `${name} has no signature` };
  const text = signature.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return { ok: false, reason: `the signature of ${name} is malformed` };
  const sig = Buffer.from(text, 'base64');
  if (sig.length !== 64) return { ok: false, reason: `the signature of ${name} is malformed` };
  let digest: string;
  try {
    digest = await sha512(file);
  } catch (e) {
    return { ok: false, reason: `the downloaded file could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const message = Buffer.from(`${SIGNATURE_VERSION}\n${name}\n${digest}\n`, 'utf8');
  return verify(null, message, publicKey, sig) ? { ok: true } : { ok: false, reason: `${name} is not signed by Batchdesk's update key (tampered or wrongly signed)` };
}
