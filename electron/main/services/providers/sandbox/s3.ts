/**
 * An S3-compatible store on 127.0.0.1 (s3rver) for Wonder's batch file: the app uploads with the
 * real AWS SDK and hands Wonder a presigned GET URL, as it would with a real bucket.
 * Verified on Node 22 with @aws-sdk/client-s3 (put, presigned get, delete). Limits of s3rver that
 * matter here: it checks a presigned URL's expiry and access key id but not its SigV4 signature,
 * and it ignores server-side-encryption headers. It keeps objects as files, so the store lives in
 * /dev/shm (memory) where the OS has it, else in the temp folder, and is deleted on close.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface SandboxS3 {
  endpoint: string;
  region: string;
  bucket: string;
  /** s3rver's built-in account (SANDBOX ONLY). */
  accessKeyId: string;
  secretAccessKey: string;
  /** s3rver serves buckets by path (`/bucket/key`), not by host name. */
  forcePathStyle: true;
}

export const SANDBOX_S3_BUCKET = 'batchdesk-sandbox';

export async function startS3(opts: { port?: number; bucket?: string } = {}): Promise<{ s3: SandboxS3; close(): Promise<void> }> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const directory = await mkdtemp(join(base, 'batchdesk-s3-'));
  const bucket = opts.bucket ?? SANDBOX_S3_BUCKET;
  const server = new S3rver({ address: '127.0.0.1', port: opts.port ?? 0, silent: true, directory, resetOnClose: true, vhostBuckets: false, configureBuckets: [{ name: bucket }] });
  let info;
  try {
    info = await server.run();
  } catch (e) {
    await rm(directory, { recursive: true, force: true });
    throw e;
  }
  return {
    s3: { endpoint: `http://127.0.0.1:${info.port}`, region: 'us-east-1', bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
    close: async () => {
      try {
        await server.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}
