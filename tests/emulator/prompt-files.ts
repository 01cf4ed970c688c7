/**
 * Prompt audio in the emulator: the bytes each prompt was created or updated from, and the
 * presigned URLs GetPromptFile answers, served by the emulator's own HTTP server
 * (`GET /prompt-files/<instanceId>/<promptId>.wav?X-Amz-…`).
 *
 * Where CreatePrompt / UpdatePrompt get the bytes of their `S3Uri`:
 * - a presigned URL this emulator handed out (GetPromptFile): the bytes of that prompt, when the
 *   URL is still valid and its signature holds (the real service accepts such URLs: API_CreatePrompt);
 * - bytes a seed gave for that URI ({@link PromptFiles.seed});
 * - the local S3 (s3rver) when the emulator has an S3 endpoint: `s3://<bucket>/<key>` or
 *   `https://<bucket>.s3.<region>.amazonaws.com/<key>`, read with GetObject; a missing object is
 *   InvalidParameterException, as Connect cannot read it;
 * - otherwise (no S3 endpoint configured) placeholder bytes made from the URI, flagged
 *   `placeholder`: the emulator cannot read an S3 it does not know, and tests of other kinds create
 *   prompts from made-up URIs.
 *
 * A presigned URL expires `urlExpiresSeconds` after GetPromptFile (900 by default; the real
 * lifetime is not documented): then, and for a URL whose signature does not match, the GET answers
 * 403 with S3's `AccessDenied` XML. The emulator checks neither audio format nor size.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { invalidParameter } from './errors.js';
import type { InstanceState, PromptAudio, World } from './state.js';

/** Default lifetime of a GetPromptFile URL, in seconds. */
export const DEFAULT_PROMPT_URL_EXPIRES_SECONDS = 900;

/** Path under which the emulator serves prompt audio. */
export const PROMPT_FILES_PATH = '/prompt-files/';

/** The local S3 the emulator reads `S3Uri`s from. */
export interface PromptFilesS3 {
  endpoint: string;
  region?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Options of the emulator's prompt audio. */
export interface PromptFilesOptions {
  /** Seconds a GetPromptFile URL stays valid. Default 900. */
  urlExpiresSeconds?: number;
  /** Reads `S3Uri`s from this S3 (s3rver). Without it, unknown URIs get placeholder bytes. */
  s3?: PromptFilesS3;
}

/** A µ-law 8 kHz mono WAV of `samples` bytes of audio made from `text` (deterministic). */
export function wavBytes(text: string, samples = 400): Uint8Array {
  const data = Buffer.alloc(samples);
  let seed = createHmac('sha256', 'emulator-audio').update(text).digest();
  for (let i = 0; i < samples; i += seed.length) {
    seed.copy(data, i, 0, Math.min(seed.length, samples - i));
    seed = createHmac('sha256', 'emulator-audio').update(seed).digest();
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // 8 kHz
  header.writeUInt32LE(8000, 28); // bytes per second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples, 40);
  return new Uint8Array(Buffer.concat([header, data]));
}

const S3_HTTPS = /^https:\/\/([^/]+)\.s3\.[^/]+\.amazonaws\.com\/(.+)$/u;

/** The emulator's prompt audio: seeded bytes, the local S3, and the presigned URLs it serves. */
export class PromptFiles {
  /** Seconds a GetPromptFile URL stays valid. */
  urlExpiresSeconds = DEFAULT_PROMPT_URL_EXPIRES_SECONDS;
  /** `http://127.0.0.1:<port>`, set once the server listens. */
  baseUrl = 'http://127.0.0.1:0';
  #s3: S3Client | undefined;
  readonly #seeded = new Map<string, Uint8Array>();
  readonly #secret = randomBytes(32);

  constructor(private readonly world: World) {}

  /** Reads `S3Uri`s from this S3 from now on. */
  useS3(s3: PromptFilesS3): void {
    this.#s3?.destroy();
    this.#s3 = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region ?? 'us-east-1',
      credentials: s3.credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Gives the bytes CreatePrompt finds at `uri` (a seed's audio). */
  seed(uri: string, bytes: Uint8Array): string {
    this.#seeded.set(uri, bytes);
    return uri;
  }

  /** Stops the S3 client. */
  close(): void {
    this.#s3?.destroy();
  }

  #signature(path: string, amzDate: string, expires: string): string {
    return createHmac('sha256', this.#secret).update(`${path}\n${amzDate}\n${expires}`).digest('hex');
  }

  /** A URL shaped like an S3 SigV4 presigned GET of the prompt's audio, served by the emulator. */
  presign(instance: InstanceState, promptId: string, now: Date): string {
    const amzDate = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const path = `${PROMPT_FILES_PATH}${instance.id}/${promptId}.wav`;
    const expires = String(this.urlExpiresSeconds);
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `ASIAEMULATORPROMPTS1/${amzDate.slice(0, 8)}/${instance.region}/s3/aws4_request`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': this.#signature(path, amzDate, expires),
    });
    return `${this.baseUrl}${path}?${query}`;
  }

  /** True when `uri` is a URL this emulator's GetPromptFile answers. */
  isOwnUrl(uri: string): boolean {
    return uri.startsWith(`${this.baseUrl}${PROMPT_FILES_PATH}`);
  }

  /**
   * Checks a presigned URL: signature, then expiry, against the world's clock.
   * @returns The prompt's audio, or why S3 would refuse it (`expired`, `signature`, `unknown`).
   */
  open(url: URL): PromptAudio | 'expired' | 'signature' | 'unknown' {
    const match = /^\/prompt-files\/([^/]+)\/([^/]+)\.wav$/.exec(url.pathname);
    const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
    const expires = url.searchParams.get('X-Amz-Expires') ?? '';
    const given = Buffer.from(url.searchParams.get('X-Amz-Signature') ?? '', 'utf8');
    const expected = Buffer.from(this.#signature(url.pathname, amzDate, expires), 'utf8');
    if (!match || given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature';
    const signedAt = Date.parse(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    if (!(this.world.clock.now().getTime() < signedAt + Number(expires) * 1000)) return 'expired';
    const record = this.world.instances.get(match[1] ?? '')?.prompts.find(match[2] ?? '');
    return record?.audio ?? 'unknown';
  }

  /**
   * The audio at a CreatePrompt / UpdatePrompt `S3Uri` (see the module comment for where from).
   * @throws ConnectError InvalidParameterException (400) when the URI cannot be read.
   */
  async read(uri: string): Promise<PromptAudio> {
    if (this.isOwnUrl(uri)) {
      const audio = this.open(new URL(uri));
      if (typeof audio === 'string')
        throw invalidParameter(
          `S3Uri cannot be read: the presigned URL is ${audio === 'expired' ? 'expired' : 'not valid'}`,
        );
      return { ...audio, bytes: new Uint8Array(audio.bytes) };
    }
    const seeded = this.#seeded.get(uri);
    if (seeded) return { bytes: new Uint8Array(seeded), contentType: 'audio/wav' };
    const location =
      /^s3:\/\/([^/]+)\/(.+)$/u.exec(uri) ??
      (S3_HTTPS.exec(uri.split('?')[0] ?? '') as RegExpExecArray | null);
    if (!this.#s3 || !location) {
      return { bytes: wavBytes(`placeholder ${uri}`, 32), contentType: 'audio/wav', placeholder: true };
    }
    const [, bucket, rawKey] = location;
    const key = uri.startsWith('s3://') ? (rawKey ?? '') : decodeURIComponent(rawKey ?? '');
    try {
      const object = await this.#s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await object.Body?.transformToByteArray();
      if (!bytes) throw new Error('no body');
      return { bytes, contentType: object.ContentType ?? 'audio/wav' };
    } catch (error) {
      throw invalidParameter(`S3Uri cannot be read (${(error as Error).name}): ${uri}`);
    }
  }

  /** Serves `GET /prompt-files/…`: the audio (200), or S3's 403 / 404 XML. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const audio = req.method === 'GET' ? this.open(url) : 'signature';
    if (typeof audio === 'string') {
      const [status, code, message] =
        audio === 'expired'
          ? [403, 'AccessDenied', 'Request has expired']
          : audio === 'unknown'
            ? [404, 'NoSuchKey', 'The specified key does not exist.']
            : [
                403,
                'SignatureDoesNotMatch',
                'The request signature we calculated does not match the signature you provided.',
              ];
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'content-type': audio.contentType, 'content-length': audio.bytes.byteLength });
    res.end(Buffer.from(audio.bytes));
  }
}
