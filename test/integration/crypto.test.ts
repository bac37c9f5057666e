/**
 * The card-data sealer (AES-256-GCM) and its key sources: the 0600 key file (web mode, CLI) on a
 * real folder, and the safeStorage key source against a FAKE safeStorage (the real one needs the
 * Electron binary and an OS keyring, neither available here).
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeySource, KEY_FILE, SafeStorageKeySource, Sealer, WRAPPED_KEY_FILE, type SafeStorageLike } from '../../electron/main/services/crypto';
import { tempDir } from '../helpers/tmp';

function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: (s: string) => {
      calls.push('encrypt');
      return Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a));
    },
    decryptString: (b: Buffer) => {
      calls.push('decrypt');
      return Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
    },
  };
}

describe('Sealer', () => {
  const sealer = new Sealer(new FileKeySource(tempDir()));

  it('round-trips and never leaves the plaintext in the sealed bytes', () => {
    const sealed = sealer.seal('4111111111111111', 'row-1');
    expect(sealed.includes(Buffer.from('4111111111111111'))).toBe(false);
    expect(sealer.openText(sealed, 'row-1')).toBe('4111111111111111');
    // a fresh IV every time
    expect(sealer.seal('4111111111111111', 'row-1').equals(sealed)).toBe(false);
  });

  it('seals long and non-ASCII text and contexts, and leaves no plaintext in its reused buffer', () => {
    const long = `{"6":"${'4111111111111111'.repeat(600)}"}`; // larger than the reused buffer
    expect(sealer.openText(sealer.seal(long, 'row-long'), 'row-long')).toBe(long);
    const text = 'Zoë’s card 4111 1111 1111 1111';
    const sealed = sealer.seal(text, 'rad-ø-1');
    expect(sealer.openText(sealed, 'rad-ø-1')).toBe(text);
    expect(() => sealer.open(sealed, 'rad-o-1')).toThrow(/integrity/);
    // layout: version, 12-byte IV, 16-byte tag, then exactly as many bytes as the UTF-8 plaintext
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(1 + 12 + 16 + Buffer.byteLength(text, 'utf8'));
    // the plaintext is written into a buffer reused between seals: it is wiped after each one
    const scratch = (sealer as unknown as { scratch: Buffer }).scratch;
    sealer.seal('4111111111111111', 'row-2');
    expect(scratch.includes(Buffer.from('4111111111111111'))).toBe(false);
    expect(scratch.includes(Buffer.from('Zoë'))).toBe(false);
  });

  it('uses a fresh IV for every seal (10,000 seals, no IV twice)', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++) ivs.add(sealer.seal('4111111111111111', 'row-1').subarray(1, 13).toString('hex'));
    expect(ivs.size).toBe(10_000);
  });

  it('refuses a changed byte, a truncated value and a value sealed for another row', () => {
    const sealed = sealer.seal('{"pan":"4111111111111111","cvc":"123"}', 'row-1');
    for (let i = 0; i < sealed.length; i++) {
      const bad = Buffer.from(sealed);
      bad[i] = bad[i]! ^ 0x01;
      expect(() => sealer.open(bad, 'row-1'), `byte ${i}`).toThrow(/integrity check/);
    }
    expect(() => sealer.open(sealed.subarray(0, sealed.length - 1), 'row-1')).toThrow(/integrity check/);
    expect(() => sealer.open(sealed.subarray(0, 10), 'row-1')).toThrow(/integrity check/);
    expect(() => sealer.open(sealed, 'row-2')).toThrow(/integrity check/);
  });

  it('refuses a value sealed with another key', () => {
    const other = new Sealer(new FileKeySource(tempDir()));
    expect(() => other.open(sealer.seal('x', 'c'), 'c')).toThrow(/integrity check/);
  });
});

describe('FileKeySource', () => {
  it('creates a 0600 key file once and reuses it', () => {
    const dir = tempDir();
    const a = new FileKeySource(dir, 'linux').getKey();
    const b = new FileKeySource(dir, 'linux').getKey();
    expect(a.length).toBe(32);
    expect(a.equals(b)).toBe(true);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file other users can read, and a damaged one', () => {
    const dir = tempDir();
    new FileKeySource(dir, 'linux').getKey();
    chmodSync(join(dir, KEY_FILE), 0o644);
    expect(() => new FileKeySource(dir, 'linux').getKey()).toThrow(/can be read by other users.*chmod 600/);
    chmodSync(join(dir, KEY_FILE), 0o600);
    writeFileSync(join(dir, KEY_FILE), 'c2hvcnQ=\n', { mode: 0o600 });
    expect(() => new FileKeySource(dir, 'linux').getKey()).toThrow(/damaged/);
  });
});

describe('SafeStorageKeySource (fake safeStorage)', () => {
  it('stores the key wrapped by safeStorage, never in clear, and unwraps it next time', () => {
    const dir = tempDir();
    const safe = fakeSafeStorage();
    const key = new SafeStorageKeySource(safe, dir, 'linux').getKey();
    const wrapped = readFileSync(join(dir, WRAPPED_KEY_FILE));
    expect(wrapped.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(new SafeStorageKeySource(safe, dir, 'linux').getKey().equals(key)).toBe(true);
    expect(safe.calls).toEqual(['encrypt', 'decrypt']);
  });

  it("refuses to store card data on Linux's basic_text backend and where encryption is unavailable, and says so", () => {
    const basic = new SafeStorageKeySource(fakeSafeStorage({ backend: 'basic_text' }), tempDir(), 'linux');
    expect(basic.refusal()).toMatch(/No secure credential store/);
    expect(() => basic.getKey()).toThrow(/refuses to store card data/);
    const none = new SafeStorageKeySource(fakeSafeStorage({ available: false }), tempDir(), 'darwin');
    expect(() => none.getKey()).toThrow(/credential store is not available/);
    // basic_text is a Linux backend name only; elsewhere the backend call is not consulted
    expect(new SafeStorageKeySource(fakeSafeStorage({ backend: 'basic_text' }), tempDir(), 'win32').refusal()).toBeNull();
  });
});
