/**
 * The restore request: one validated shape for the `restore` Lambda's event and the CLI's flags,
 * and the mapping (explicit id, ARN and name maps, account and Region rewrites, prompt audio).
 *
 * ```json
 * {
 *   "source": { "bucket": "my-backups", "prefix": "connect", "instanceId": "…", "snapshot": "latest" },
 *   "target": { "instanceId": "…", "region": "eu-west-2", "roleArn": "arn:aws:iam::444455556666:role/…" },
 *   "filters": { "kinds": ["flows", "queues"], "names": ["Sales*"] },
 *   "mode": "create-missing",
 *   "mappings": { "accounts": { "111122223333": "444455556666" }, "regions": { "us-east-1": "eu-west-2" } },
 *   "dryRun": true
 * }
 * ```
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { isSnapshotId } from '#shared/snapshot/format.js';
import { RestoreInputError } from './errors.js';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$/;
const S3_URI = /^(?:s3:\/\/\S+\/.+|https:\/\/\S+\.s3\.\S+\.amazonaws\.com\/\S+)$/u;

const nonEmpty = z.string().min(1);

/** A map whose keys and values must each match a pattern; errors name the bad entry. */
function mapOf(what: string, key: RegExp | undefined, value: RegExp | undefined) {
  return z.record(z.string(), z.string()).superRefine((map, context) => {
    for (const [from, to] of Object.entries(map)) {
      if (from === '' || (key && !key.test(from)))
        context.addIssue({ code: 'custom', path: [from], message: `"${from}" is not ${what}` });
      if (to === '' || (value && !value.test(to)))
        context.addIssue({
          code: 'custom',
          path: [from],
          message: `"${to}" (the value of "${from}") is not ${what}`,
        });
    }
  });
}

/**
 * Schema of the mapping: how references that the snapshot cannot resolve by itself are rewritten.
 *
 * - `ids`: source id → target id, for anything referenced by bare id (phone numbers, a queue that
 *   must point at an existing target resource, …); applied before anything else.
 * - `arns`: source ARN → target ARN (Lambda functions, Lex bot aliases, phone numbers, …).
 * - `names`: per kind, source name → target name: the resource is matched (and created) by that name.
 * - `accounts` / `regions`: rewrites of the account and Region inside ARNs of the source account
 *   (Lambda, Lex and other services), for cross-account and cross-Region restores.
 * - `promptAudio`: prompt name → `s3://bucket/key` (or an https S3 URL) to create a missing prompt from.
 */
export const mappingSchema = z
  .object({
    ids: mapOf('an id', undefined, undefined).optional(),
    arns: mapOf('an ARN', ARN, ARN).optional(),
    names: z.partialRecord(z.enum(KIND_NAMES), z.record(nonEmpty, nonEmpty)).optional(),
    accounts: mapOf('a 12-digit account id', ACCOUNT, ACCOUNT).optional(),
    regions: mapOf('a Region such as eu-west-2', REGION, REGION).optional(),
    promptAudio: mapOf('an s3:// URI or https S3 URL', undefined, S3_URI).optional(),
  })
  .strict();

/** A parsed mapping. */
export type Mapping = z.infer<typeof mappingSchema>;

/** Where the snapshot is, and which. */
const sourceSchema = z
  .object({
    /** S3 bucket holding the snapshots (with `prefix`), or … */
    bucket: z.string().min(3).max(63).optional(),
    /** … a local folder (CLI only). */
    folder: nonEmpty.optional(),
    /** Key prefix inside the bucket, without leading or trailing slash. */
    prefix: z
      .string()
      .regex(/^(?:[^/].*[^/]|[^/])?$/, 'no leading or trailing slash')
      .default(''),
    /** The instance the snapshot was taken of. */
    instanceId: z.string().min(1).max(100),
    /** A snapshot id such as 2026-11-22T02-00-07.123Z, or `latest`. */
    snapshot: z
      .string()
      .refine(
        (s) => s === 'latest' || isSnapshotId(s),
        'must be latest or a snapshot id like 2026-11-22T02-00-07.123Z',
      )
      .default('latest'),
  })
  .strict()
  .refine((s) => Boolean(s.bucket) !== Boolean(s.folder), {
    message: 'give exactly one of bucket (with prefix) or folder',
  });

/** The instance to restore into; the source instance by default. */
const targetSchema = z
  .object({
    instanceId: z.string().min(1).max(100).optional(),
    /** Its Region; the caller's by default. */
    region: z.string().regex(REGION, 'must be a Region such as eu-west-2').optional(),
    /** A role in the target account to assume (Lambda; cross-account restores). */
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
      .optional(),
    /** The external id the role's trust policy asks for, if any. */
    externalId: z.string().min(2).max(1224).optional(),
  })
  .strict();

/** Schema of the restore request (the `restore` Lambda's event; what the CLI builds from its flags). */
export const restoreRequestSchema = z
  .object({
    source: sourceSchema,
    target: targetSchema.default({}),
    filters: z
      .object({
        /** Kinds to restore; every kind when absent. */
        kinds: z.array(z.enum(KIND_NAMES)).min(1).optional(),
        /** Name globs (picomatch); a resource is restored when its name matches any. */
        names: z.array(nonEmpty).min(1).optional(),
      })
      .strict()
      .default({}),
    /** `create-missing` never touches an existing resource; `overwrite` brings matched ones to the snapshot's state. */
    mode: z.enum(['create-missing', 'overwrite']).default('create-missing'),
    mappings: mappingSchema.default({}),
    /** Plan only: read, compare and report, with no write to Connect. */
    dryRun: z.boolean().default(false),
  })
  .strict();

/** A validated restore request, defaults applied. */
export type RestoreRequest = z.infer<typeof restoreRequestSchema>;
/** A restore request as callers write it (defaults may be left out). */
export type RestoreRequestInput = z.input<typeof restoreRequestSchema>;

/** `path: message` lines of a zod error, each naming the member. */
export function describeIssues(error: z.ZodError, root = '(request)'): string {
  return error.issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`).join('; ');
}

/**
 * Validates a restore request.
 * @throws RestoreInputError (`invalid-request`) naming every bad member, before anything is read.
 */
export function parseRestoreRequest(input: unknown): RestoreRequest {
  const parsed = restoreRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new RestoreInputError(
      'invalid-request',
      `Invalid restore request: ${describeIssues(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/**
 * Validates a mapping (a mapping file's content).
 * @throws RestoreInputError (`invalid-mapping`) naming every bad entry.
 */
export function parseMapping(input: unknown, where = 'mapping'): Mapping {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) {
    throw new RestoreInputError(
      'invalid-mapping',
      `Invalid ${where}: ${describeIssues(parsed.error, '(mapping)')}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}
