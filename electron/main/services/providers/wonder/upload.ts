/**
 * Where Wonder fetches the batch file from: an S3-compatible bucket through the AWS SDK (server-side
 * encryption requested, presigned GET valid ≤ 15 minutes, object deleted once Wonder no longer needs
 * it), or a URL the user uploaded the file to themselves.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export const PRESIGN_SECONDS = 15 * 60;

export interface S3Settings {
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean | undefined;
}

export class S3Upload {
  private readonly client: S3Client;

  constructor(private readonly s: S3Settings) {
    this.client = new S3Client({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      forcePathStyle: s.forcePathStyle ?? s.endpoint !== undefined,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
      // The SDK's own retries would hide failures from the outbox's accounting; one try per call.
      maxAttempts: 1,
    });
  }

  async put(key: string, body: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.s.bucket, Key: key, Body: body, ContentType: 'text/csv; charset=utf-8', ServerSideEncryption: 'AES256' }),
      signal ? { abortSignal: signal } : {},
    );
  }

  /** A GET URL that stops working after `seconds` (≤ 15 minutes). */
  async presign(key: string, seconds = PRESIGN_SECONDS): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.s.bucket, Key: key }), { expiresIn: Math.min(seconds, PRESIGN_SECONDS) });
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s.bucket, Key: key }), signal ? { abortSignal: signal } : {});
  }

  destroy(): void {
    this.client.destroy();
  }
}
