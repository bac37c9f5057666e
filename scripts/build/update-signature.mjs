/**
 * Detached Ed25519 signatures for update files. The signed message binds the file's name and its
 * SHA-512, so a signature cannot be moved to another file. electron/main/updates/signature.ts
 * verifies the same format (tests sign here and verify there).
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

export const SIGNATURE_VERSION = 'batchdesk-update-signature-v1';
/** Files electron-updater downloads, on each platform. */
export const UPDATE_FILE = /\.(exe|msi|zip|dmg|AppImage|deb)$/;

/** @param {string} file */
export async function sha512(file) {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('base64');
}

/** @param {string} name @param {string} digest */
export function signedMessage(name, digest) {
  return Buffer.from(`${SIGNATURE_VERSION}\n${name}\n${digest}\n`, 'utf8');
}

/** Writes `<file>.sig` (base64 signature) and returns its path. */
/** @param {string} file @param {string} privateKeyPem */
export async function signUpdateFile(file, privateKeyPem) {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('UPDATE_SIGNING_KEY must be an Ed25519 private key (PEM).');
  const signature = sign(null, signedMessage(basename(file), await sha512(file)), key).toString('base64');
  const out = `${file}.sig`;
  await writeFile(out, signature + '\n');
  return out;
}
