/**
 * Where the 256-bit key that seals card data comes from.
 * - Desktop: a random key wrapped by Electron safeStorage (the OS keychain / DPAPI / libsecret),
 *   stored wrapped in the data folder. Refused where safeStorage would only obfuscate it
 *   (Linux 'basic_text' backend, or encryption unavailable): card data is then not stored at all.
 * - Web mode and the CLI: a key file in the data folder with 0600 permissions. Weaker: anyone who
 *   can read the data folder as this user can read the key (README, "Card data at rest").
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync, fsyncSync, linkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors';

export interface KeySource {
  /** In words, for messages and the README. */
  readonly description: string;
  /** The 32-byte key; created on first use. Throws AppError when card data must not be stored. */
  getKey(): Buffer;
}

export const KEY_FILE = 'card-data.key';
export const WRAPPED_KEY_FILE = 'card-data.key.safe';

/**
 * Creates `path` with `data`, readable by the owner only, complete or not at all (temp file, then a
 * hard link, which fails if the file exists). Two processes creating the key at once: the second
 * one's link fails and it uses the first one's key. Returns false when the file already existed.
 */
function createPrivate(path: string, data: Uint8Array): boolean {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('crypto.key_unreadable', `Cannot read the card-data key ${path}: ${(e as Error).message}`);
  }
}

/** A key file in the data folder (0600). */
export class FileKeySource implements KeySource {
  readonly description: string;
  private readonly path: string;

  constructor(dataDir: string, private readonly platform: NodeJS.Platform = process.platform) {
    this.path = join(dataDir, KEY_FILE);
    this.description = `a key file readable only by you (${this.path})`;
  }

  getKey(): Buffer {
    let key = readIfExists(this.path);
    if (!key) {
      mkdirSync(join(this.path, '..'), { recursive: true });
      const fresh = randomBytes(32);
      try {
        createPrivate(this.path, Buffer.from(fresh.toString('base64') + '\n', 'utf8'));
      } catch (e) {
        throw new AppError('crypto.key_unwritable', `Cannot create the card-data key ${this.path}: ${(e as Error).message}`);
      }
      key = readFileSync(this.path);
    }
    if (this.platform !== 'win32') {
      const mode = statSync(this.path).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw new AppError(
          'crypto.key_exposed',
          `The card-data key ${this.path} can be read by other users (permissions ${mode.toString(8)}). Run "chmod 600 ${this.path}" and try again.`,
        );
      }
    }
    const decoded = Buffer.from(key.toString('utf8').trim(), 'base64');
    if (decoded.length !== 32) throw new AppError('crypto.bad_key', `The card-data key ${this.path} is damaged (not a 256-bit key). Restore it from a backup.`);
    return decoded;
  }
}

/** The subset of Electron's safeStorage used here (the real module in the app, a recording fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

/** A random key wrapped by the OS through Electron safeStorage. */
export class SafeStorageKeySource implements KeySource {
  readonly description = "your operating system's credential store (Electron safeStorage)";
  private readonly path: string;

  constructor(
    private readonly safe: SafeStorageLike,
    dataDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.path = join(dataDir, WRAPPED_KEY_FILE);
  }

  /** Why card data cannot be stored here, or null when it can. */
  refusal(): string | null {
    if (!this.safe.isEncryptionAvailable()) {
      return "This computer's credential store is not available, so Batchdesk will not store card numbers. Sign in to your desktop session (with its keyring unlocked) and restart Batchdesk.";
    }
    if (this.platform === 'linux' && this.safe.getSelectedStorageBackend?.() === 'basic_text') {
      return 'No secure credential store (GNOME Keyring or KWallet) is running, so card numbers would be stored with a fixed key anyone can read. Batchdesk refuses to store card data: install or unlock a keyring and restart Batchdesk.';
    }
    return null;
  }

  getKey(): Buffer {
    const why = this.refusal();
    if (why) throw new AppError('crypto.no_secure_storage', why);
    const wrapped = readIfExists(this.path);
    if (wrapped) {
      let text: string;
      try {
        text = this.safe.decryptString(wrapped);
      } catch {
        throw new AppError('crypto.key_unwrappable', 'The card-data key could not be unlocked by the credential store (the keyring changed or the data folder comes from another user or computer). Stored card numbers cannot be read.');
      }
      const key = Buffer.from(text, 'base64');
      if (key.length !== 32) throw new AppError('crypto.bad_key', 'The card-data key is damaged. Stored card numbers cannot be read.');
      return key;
    }
    mkdirSync(join(this.path, '..'), { recursive: true });
    const fresh = randomBytes(32);
    if (createPrivate(this.path, this.safe.encryptString(fresh.toString('base64')))) return fresh;
    return this.getKey(); // another process created it first: use that one
  }
}
