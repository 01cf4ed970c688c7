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
import picomatch from 'picomatch';
import { parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { instanceRoot, isSnapshotId, normalizePrefix } from '#shared/snapshot/format.js';
import { RestoreInputError } from './errors.js';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$/;
const S3_URI = /^(?:s3:\/\/\S+\/.+|https:\/\/\S+\.s3\.\S+\.amazonaws\.com\/\S+)$/u;
/** An instance ARN: partition, Region, account, instance id. */
const INSTANCE_ARN = /^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\d{12}):instance\/([^/]+)$/;
const LONE_SURROGATE = /\p{Cs}/u;
/** An E.164 phone number, as Connect's `PhoneNumber` shape has it: `+`, a country code, at most 15 digits. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** Longest name glob of `filters.names`, in characters (Connect names are far shorter). */
export const MAX_GLOB_LENGTH = 1024;
/** Most name globs in `filters.names`. */
export const MAX_GLOBS = 100;
/** Longest `source.prefix`, in UTF-8 bytes: S3 keys are at most 1024, and the snapshot layout needs the rest. */
export const MAX_PREFIX_BYTES = 512;

/**
 * A string of the request or mapping. Every string must be valid Unicode: a lone surrogate (which
 * JSON can carry as `\ud800`) has no UTF-8 form, so it could be neither compared with Connect's
 * names nor written anywhere.
 */
const text = () =>
  z.string().refine((s) => !LONE_SURROGATE.test(s), 'holds a lone surrogate (not valid Unicode text)');

const nonEmpty = text().min(1);

/** Runs a key-layout builder of `format.ts`; its RangeError becomes an issue with its message. */
function layoutIssue(check: () => void, context: z.RefinementCtx): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
  }
}

/**
 * An instance id as the snapshot layout uses it (a path segment): 1–100 characters, not `.` or
 * `..`, no `/`, `\` or control character (the rules of `instanceRoot`).
 */
const instanceIdSchema = text()
  .min(1)
  .max(100)
  .superRefine((id, context) => layoutIssue(() => instanceRoot('', id), context));

/** The target instance: an instance id, or its ARN (checked against DescribeInstance when planning). */
const targetInstanceSchema = text()
  .min(1)
  .max(250)
  .superRefine((value, context) => {
    if (!value.startsWith('arn:')) {
      if (value.length > 100)
        context.addIssue({ code: 'custom', message: 'an instance id has at most 100 characters' });
      layoutIssue(() => instanceRoot('', value), context);
      return;
    }
    const arn = INSTANCE_ARN.exec(value);
    if (!arn) {
      context.addIssue({
        code: 'custom',
        message: 'must be an instance id or an instance ARN arn:aws:connect:<region>:<account>:instance/<id>',
      });
      return;
    }
    layoutIssue(() => instanceRoot('', arn[4] ?? ''), context);
  });

/** The parts of an instance ARN, or undefined when `value` is an instance id. */
export function instanceArnParts(
  value: string,
): { partition: string; region: string; accountId: string; instanceId: string } | undefined {
  const arn = INSTANCE_ARN.exec(value);
  if (!arn) return undefined;
  return { partition: arn[1] ?? '', region: arn[2] ?? '', accountId: arn[3] ?? '', instanceId: arn[4] ?? '' };
}

/** A map whose keys and values must each match a pattern; errors name the bad entry. */
function mapOf(what: string, key: RegExp | undefined, value: RegExp | undefined) {
  return z.record(text(), text()).superRefine((map, context) => {
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

/** Per kind, source name → target name; two source names of a kind may not get one target name. */
const namesSchema = z
  .partialRecord(z.enum(KIND_NAMES), z.record(nonEmpty, nonEmpty))
  .superRefine((names, context) => {
    for (const [kind, map] of Object.entries(names)) {
      const firstFrom = new Map<string, string>();
      for (const [from, to] of Object.entries(map ?? {})) {
        const other = firstFrom.get(to);
        if (other === undefined) firstFrom.set(to, from);
        else
          context.addIssue({
            code: 'custom',
            path: [kind, from],
            message: `"${other}" and "${from}" are both mapped to "${to}": one ${kind} name in the target can stand for one resource only`,
          });
      }
    }
  });

/**
 * `mappings.phoneNumbers`: source E.164 number → target E.164 number (a number the target instance
 * has claimed), or `"same"` (every number restored onto itself: a restore into the same instance,
 * where it is the default).
 * Two source numbers cannot map to one target number: a number rings one flow.
 */
const phoneNumbersSchema = z.union([
  z.literal('same'),
  mapOf('an E.164 phone number such as +12065550100', E164, E164).superRefine((map, context) => {
    const firstFrom = new Map<string, string>();
    for (const [from, to] of Object.entries(map)) {
      const other = firstFrom.get(to);
      if (other === undefined) firstFrom.set(to, from);
      else
        context.addIssue({
          code: 'custom',
          path: [from],
          message: `"${other}" and "${from}" are both mapped to "${to}": a phone number rings one flow`,
        });
    }
  }),
]);

/** An e-mail address, as Connect's `EmailAddress` shape has it. */
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/**
 * `mappings.emailAddresses`: source address → target address (on an e-mail domain of the target
 * instance), or `"same"` (every address restored as itself: a restore into the same instance, where
 * it is the default). Two source addresses cannot map to one target address.
 */
const emailAddressesSchema = z.union([
  z.literal('same'),
  mapOf('an e-mail address such as support@example.com', EMAIL_ADDRESS, EMAIL_ADDRESS).superRefine(
    (map, context) => {
      const firstFrom = new Map<string, string>();
      for (const [from, to] of Object.entries(map)) {
        const other = firstFrom.get(to.toLowerCase());
        if (other === undefined) firstFrom.set(to.toLowerCase(), from);
        else
          context.addIssue({
            code: 'custom',
            path: [from],
            message: `"${other}" and "${from}" are both mapped to "${to}": one address of the target can stand for one address only`,
          });
      }
    },
  ),
]);

/**
 * Schema of the mapping: how references that the snapshot cannot resolve by itself are rewritten.
 *
 * - `ids`: source id → target id, for anything referenced by bare id (phone numbers, a queue that
 *   must point at an existing target resource, …); applied before anything else.
 * - `arns`: source ARN → target ARN (Lambda functions, Lex bot aliases, phone numbers, …).
 * - `names`: per kind, source name → target name: the resource is matched (and created) by that
 *   name. Two source names of one kind cannot map to one target name.
 * - `accounts` / `regions`: rewrites of the account and Region inside ARNs of the source account
 *   (Lambda, Lex and other services), for cross-account and cross-Region restores.
 * - `promptAudio`: prompt name → `s3://bucket/key` (or an https S3 URL) to create a missing prompt from.
 * - `phoneNumbers`: source E.164 → target E.164, or `"same"` (see {@link phoneNumbersSchema}): the
 *   numbers whose flow is restored, and what queues' outbound caller ids become. Numbers are never
 *   claimed; an unmapped number is reported, and a number mapped to one the target has not claimed
 *   is blocked.
 * - `emailAddresses`: source address → target address, or `"same"` (see {@link emailAddressesSchema}):
 *   the addresses restored (created on the target's domain when missing), and what queues' outbound
 *   e-mail addresses become. An unmapped address is reported per address.
 *
 * Unknown members are refused (`.strict()`), as is any string with a lone surrogate. What can only
 * be checked against the snapshot and the target (names that are not in the snapshot, ids mapped to
 * target resources that do not exist) is checked when planning, before the first write.
 */
export const mappingSchema = z
  .object({
    ids: mapOf('an id', undefined, undefined).optional(),
    arns: mapOf('an ARN', ARN, ARN).optional(),
    names: namesSchema.optional(),
    accounts: mapOf('a 12-digit account id', ACCOUNT, ACCOUNT).optional(),
    regions: mapOf('a Region such as eu-west-2', REGION, REGION).optional(),
    promptAudio: mapOf('an s3:// URI or https S3 URL', undefined, S3_URI).optional(),
    phoneNumbers: phoneNumbersSchema.optional(),
    emailAddresses: emailAddressesSchema.optional(),
  })
  .strict();

/** A parsed mapping. */
export type Mapping = z.infer<typeof mappingSchema>;

/** Where the snapshot is, and which. */
const sourceSchema = z
  .object({
    /** S3 bucket holding the snapshots (with `prefix`), or … */
    bucket: text()
      .min(3)
      .max(63)
      .regex(
        /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
        'must be an S3 bucket name (lower-case letters, digits, dots, hyphens)',
      )
      .optional(),
    /** … a local folder (CLI only). */
    folder: nonEmpty.optional(),
    /**
     * Key prefix inside the bucket, without leading or trailing slash; segments are not empty, `.`
     * or `..` and hold no `\` or control character (the rules of `normalizePrefix`).
     */
    prefix: text()
      .regex(/^(?:[^/].*[^/]|[^/])?$/s, 'no leading or trailing slash')
      .refine((p) => Buffer.byteLength(p) <= MAX_PREFIX_BYTES, `at most ${MAX_PREFIX_BYTES} bytes of UTF-8`)
      .superRefine((prefix, context) => layoutIssue(() => normalizePrefix(prefix), context))
      .default(''),
    /** The instance the snapshot was taken of (an id: it names a folder of the snapshot layout). */
    instanceId: instanceIdSchema,
    /** A snapshot id such as 2026-11-22T02-00-07.123Z, or `latest`. */
    snapshot: text()
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
    /**
     * The instance id, or the instance ARN: then its account, Region and id must be those of the
     * instance DescribeInstance finds with the target's credentials and Region.
     */
    instanceId: targetInstanceSchema.optional(),
    /** Its Region; the caller's by default. */
    region: text().regex(REGION, 'must be a Region such as eu-west-2').optional(),
    /** A role in the target account to assume (Lambda; cross-account restores). */
    roleArn: text()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
      .optional(),
    /** The external id the role's trust policy asks for, if any. */
    externalId: text().min(2).max(1224).optional(),
  })
  .strict()
  .superRefine((target, context) => {
    const arn = target.instanceId === undefined ? undefined : instanceArnParts(target.instanceId);
    if (arn && target.region && arn.region !== target.region)
      context.addIssue({
        code: 'custom',
        path: ['region'],
        message: `is ${target.region}, but the instance ARN names Region ${arn.region}`,
      });
  });

/** A name glob: picomatch, bounded in length, not blank. */
const globSchema = text()
  .max(MAX_GLOB_LENGTH, `a name glob has at most ${MAX_GLOB_LENGTH} characters`)
  .refine(
    (glob) => /\S/u.test(glob),
    'must not be empty or blank (an empty glob would select nothing, or everything)',
  )
  .superRefine((glob, context) => {
    // Only a glob that passed the checks above is compiled (picomatch throws on very long input).
    if (glob.length > MAX_GLOB_LENGTH || !/\S/u.test(glob)) return;
    try {
      picomatch.makeRe(glob, { dot: true });
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `is not a glob picomatch can compile: ${(error as Error).message}`,
      });
    }
  });

/** Schema of the restore request (the `restore` Lambda's event; what the CLI builds from its flags). */
export const restoreRequestSchema = z
  .object({
    source: sourceSchema,
    target: targetSchema.default({}),
    filters: z
      .object({
        /** Kinds to restore; every kind when absent. Never empty: leave it out to restore every kind. */
        kinds: z
          .array(z.enum(KIND_NAMES))
          .min(1, 'name at least one kind, or leave the filter out to restore every kind')
          .optional(),
        /**
         * Name globs (picomatch); a resource is restored when its name matches any. Never empty, and
         * no glob is blank. A filter that matches nothing in the snapshot fails the restore
         * (`NothingToRestoreError`).
         */
        names: z
          .array(globSchema)
          .min(1, 'give at least one name glob, or leave the filter out to restore every name')
          .max(MAX_GLOBS, `at most ${MAX_GLOBS} name globs`)
          .optional(),
      })
      .strict()
      .default({}),
    /**
     * `create-missing` never touches an existing resource; `overwrite` brings matched ones to the
     * snapshot's state; `mirror` does what overwrite does, then removes (deletes, or disables where
     * Connect cannot delete) the target's resources of the selected kinds and names that the
     * snapshot does not have, where Connect allows it (`KindRestore.remove`). Mirror needs the
     * safety snapshot.
     */
    mode: z.enum(['create-missing', 'overwrite', 'mirror']).default('create-missing'),
    mappings: mappingSchema.default({}),
    /** Plan only: read, compare and report, with no write to Connect. */
    dryRun: z.boolean().default(false),
    /**
     * Before its first write, back up the target (the same backup as every night, incremental from
     * the target's own latest snapshot in the store) so the restore can be rolled back by restoring
     * that snapshot. Needs a store the restore writes its report to. Default true.
     */
    safetySnapshot: z.boolean().default(true),
    /**
     * After applying, read the target again and compare every resource the restore created,
     * updated or found unchanged with the snapshot (the planner's normalisation and remapping);
     * any difference makes the restore `failed`. Default true.
     */
    verify: z.boolean().default(true),
  })
  .strict()
  .superRefine((request, context) => {
    // Checked with the request, so the refusal comes before anything is read or written.
    if (request.mode === 'mirror' && !request.dryRun && !request.safetySnapshot)
      context.addIssue({
        code: 'custom',
        path: ['safetySnapshot'],
        message:
          'mode mirror removes resources and needs the safety snapshot to roll back from: leave out --no-safety-snapshot ("safetySnapshot": false), or use mode overwrite, which removes nothing',
      });
  });

/** A validated restore request, defaults applied. */
export type RestoreRequest = z.infer<typeof restoreRequestSchema>;
/** A restore request as callers write it (defaults may be left out). */
export type RestoreRequestInput = z.input<typeof restoreRequestSchema>;

/** A path segment as people can read it: quoted and escaped when it holds anything unprintable. */
function segmentText(segment: PropertyKey): string {
  const text = String(segment);
  return /[\p{Cc}\p{Cs}]/u.test(text) || text === '' ? JSON.stringify(text) : text;
}

/** `path: message` lines of a zod error, each naming the member (and why a record key is bad). */
export function describeIssues(error: z.ZodError, root = '(request)'): string {
  return error.issues
    .map((issue) => {
      const inner = issue.code === 'invalid_key' ? `: ${issue.issues.map((i) => i.message).join(', ')}` : '';
      return `${issue.path.map(segmentText).join('.') || root}: ${issue.message}${inner}`;
    })
    .join('; ');
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

/**
 * Parses a mapping file's text: JSON, or YAML when `format` is `yaml`, then validates it
 * ({@link parseMapping}). Stricter than the parsers alone: an empty file, `null` or anything but an
 * object is refused (leave the mapping out instead), and so is a key given twice in one object
 * (JSON.parse would keep the last value silently; YAML's `uniqueKeys` check finds it in both).
 *
 * @param where - How messages name the file, e.g. `mapping file prod.json`.
 * @throws RestoreInputError (`invalid-mapping`) naming the problem, with the line of a duplicate key.
 */
export function parseMappingText(text: string, format: 'json' | 'yaml', where = 'mapping'): Mapping {
  const invalid = (message: string, cause?: unknown) =>
    new RestoreInputError('invalid-mapping', `Invalid ${where}: ${message}`, cause ? { cause } : undefined);
  if (!/\S/u.test(text)) throw invalid('it is empty; give a mapping, or leave the mapping out for none');
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw invalid(`not valid JSON: ${(error as Error).message}`, error);
    }
  }
  // JSON is YAML 1.2: the YAML parser finds duplicate keys in both (and parses YAML).
  const document = parseDocument(text, { uniqueKeys: true });
  const duplicate = document.errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (duplicate) {
    const at = duplicate.linePos?.[0];
    const key = /^(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^:\s,{}]+)/u.exec(text.slice(duplicate.pos[0]))?.[0];
    throw invalid(
      `the key ${key ?? '(unknown)'} is given twice in one object${at ? ` (line ${at.line}, column ${at.col})` : ''}; give each key once`,
      duplicate,
    );
  }
  if (format === 'yaml') {
    const error = document.errors[0];
    if (error) throw invalid(`not valid YAML: ${error.message}`, error);
    // Every value of a mapping is a string: an unquoted number (an account id, a phone number) is
    // read as written, so 012345678901 keeps its leading zero instead of failing as a number.
    visit(document, {
      Scalar(_key, node) {
        if (typeof node.value === 'number' && node.source !== undefined) node.value = node.source;
      },
    });
    value = document.toJS({ maxAliasCount: 100 });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(
      `it must be an object of ${Object.keys(mappingSchema.shape).join(', ')}, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  return parseMapping(value, where);
}
