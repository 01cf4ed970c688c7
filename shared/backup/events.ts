/**
 * The events backup-instance runs on: `Backup Requested` (what the scheduler puts on the bus, one
 * per instance, and what an on-demand backup sends) and `Backup Continued` (what backup-instance
 * itself puts on the bus when it reaches its deadline, to resume the same snapshot). The function
 * validates both with these schemas.
 */
import { z } from 'zod';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { isSnapshotId } from '#shared/snapshot/format.js';

export const EVENT_SOURCE = 'connect-vault';
export const BACKUP_REQUESTED = 'Backup Requested';
export const BACKUP_CONTINUED = 'Backup Continued';

/**
 * An S3 bucket name as S3's naming rules allow it for new buckets: 3..63 characters of lowercase
 * letters, digits, dots and hyphens, starting and ending with a letter or digit.
 */
const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
  );

/** A key prefix without leading or trailing slash; may be empty. */
const keyPrefix = z.string().regex(/^(?:[^/].*[^/]|[^/])?$/, 'no leading or trailing slash');

/**
 * Where a backup writes when not the function's configured bucket and prefix: what a
 * connect-backup event's `S3DestURL` names. The function's role must be allowed to write there.
 */
export const destinationSchema = z.object({ bucket: bucketName, prefix: keyPrefix }).strict();

export type Destination = z.infer<typeof destinationSchema>;

/**
 * A member account of an organisation-wide deployment (12 digits): the backup assumes the member
 * role there and writes under `<prefix>/<accountId>/<instanceId>/`. Absent: this account.
 */
const accountIdSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');

/** The `detail` of a `Backup Requested` event. */
export const backupRequestDetailSchema = z
  .object({
    /** The Connect instance id (a UUID), 1..100 characters as in the API. */
    instanceId: z.string().min(1).max(100),
    /** The member account the instance is in (organisation-wide backups); absent: this account. */
    accountId: accountIdSchema.optional(),
    /** Another bucket and prefix than the configured ones (a connect-backup event's S3DestURL). */
    destination: destinationSchema.optional(),
    /** Kinds to back up; every kind when absent. */
    kinds: z.array(z.enum(KIND_NAMES)).min(1).optional(),
    /**
     * Read every kind in full instead of incrementally (what changed since the previous snapshot).
     * Default false; a kind is read in full anyway once its last full read is older than the
     * configured interval (`FULL_BACKUP_INTERVAL_DAYS`, weekly by default).
     */
    full: z.boolean().optional(),
    /** When the request was made (ISO 8601), for logs. */
    requestedAt: z.iso.datetime().optional(),
  })
  .strict();

export type BackupRequestDetail = z.infer<typeof backupRequestDetailSchema>;

/** The `detail` of a `Backup Continued` event: resume this snapshot from checkpoint `continuation`. */
export const backupContinuedDetailSchema = z
  .object({
    instanceId: z.string().min(1).max(100),
    /** The member account the instance is in; absent: this account. */
    accountId: accountIdSchema.optional(),
    /** The unfinished snapshot. */
    snapshotId: z.string().refine(isSnapshotId, 'must be a snapshot id like 2026-11-22T02-00-07.123Z'),
    /** The checkpoint to resume from: 1 for the first hand-over. */
    continuation: z.number().int().positive(),
    /** The snapshot's bucket and prefix when not the configured ones. */
    destination: destinationSchema.optional(),
  })
  .strict();

export type BackupContinuedDetail = z.infer<typeof backupContinuedDetailSchema>;

/** The EventBridge envelope of a `Backup Continued` event. */
export const backupContinuedEventSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.literal(BACKUP_CONTINUED),
  detail: backupContinuedDetailSchema,
});

/** The EventBridge envelope of a `Backup Requested` event, as the rule delivers it. */
export const backupRequestedEventSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.literal(BACKUP_REQUESTED),
  detail: backupRequestDetailSchema,
});

export type BackupRequestedEvent = z.infer<typeof backupRequestedEventSchema>;

/** Either event backup-instance runs on, told apart by `detail-type`. */
export const backupEventSchema = z.discriminatedUnion('detail-type', [
  backupRequestedEventSchema,
  backupContinuedEventSchema,
]);

export type BackupEvent = z.infer<typeof backupEventSchema>;

/**
 * The doctor mode of backup-instance, invoked directly (`aws lambda invoke`, not through the bus):
 * run the read-only checks of `shared/doctor/doctor.ts` against the instance and the function's
 * snapshot bucket, with the function's own role, and return the result.
 */
export const doctorRequestSchema = z
  .object({
    mode: z.literal('doctor'),
    instanceId: z.string().min(1).max(100),
    /** The restore role whose write permissions to simulate (the stack's RestoreRole may be simulated). */
    restoreRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
      .optional(),
  })
  .strict();

export type DoctorRequest = z.infer<typeof doctorRequestSchema>;

/** True for an event that asks for the doctor mode (it is then validated with {@link doctorRequestSchema}). */
export function isDoctorRequest(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { mode?: unknown }).mode === 'doctor';
}

/** One record of the SQS event Lambda's event source mapping delivers (the fields read here). */
export const sqsRecordSchema = z.object({
  messageId: z.string().min(1),
  receiptHandle: z.string().min(1),
  body: z.string(),
  attributes: z.object({
    ApproximateReceiveCount: z.coerce.number().int().positive(),
    MessageGroupId: z.string().min(1),
    MessageDeduplicationId: z.string().min(1),
  }),
  eventSource: z.literal('aws:sqs'),
});

export type SqsRecord = z.infer<typeof sqsRecordSchema>;

/** The SQS event of the backup queue's event source mapping. */
export const sqsEventSchema = z.object({ Records: z.array(sqsRecordSchema).min(1) });

/** True for an event Lambda's SQS event source mapping delivers (`Records` from `aws:sqs`). */
export function isSqsEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const records = (event as { Records?: unknown }).Records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every(
      (r) =>
        typeof r === 'object' && r !== null && (r as { eventSource?: unknown }).eventSource === 'aws:sqs',
    )
  );
}

/**
 * The event sethkor's connect-backup Lambda takes (its README), accepted as it is so that its users'
 * schedules and scripts keep working: `ConnectInstanceId` (absent: every instance), `S3DestURL`
 * (`s3://bucket/prefix`; absent: the configured bucket and prefix) and `FlowsRaw` (connect-vault
 * always writes the raw flow content, `flows-raw/`, so either value gives the same snapshot).
 * Every member is optional; any other member is an error.
 */
export const connectBackupEventSchema = z
  .object({
    ConnectInstanceId: z.string().min(1).max(100).optional(),
    S3DestURL: z
      .string()
      .regex(/^s3:\/\/[^/]+(?:\/.*)?$/, 'must be an S3 URL like s3://bucket/prefix')
      .optional(),
    FlowsRaw: z.boolean().optional(),
  })
  .strict();

export type ConnectBackupEvent = z.infer<typeof connectBackupEventSchema>;

/**
 * True for an event in connect-backup's form: an object that is neither an EventBridge envelope
 * (`source`, `detail-type`, `detail`), the doctor mode (`mode`) nor an SQS event (`Records`). It is then validated with
 * {@link connectBackupEventSchema}.
 */
export function isConnectBackupEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  return !['source', 'detail-type', 'detail', 'mode', 'Records'].some((key) => key in event);
}

/**
 * The bucket and prefix of an `s3://bucket/prefix` URL, the prefix without leading or trailing
 * slashes (`s3://b`, `s3://b/` and `s3://b//x/` give prefixes '', '' and 'x').
 * @throws InvalidEventError when the bucket name or prefix is not valid.
 */
export function destinationOf(url: string): Destination {
  const rest = url.replace(/^s3:\/\//, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  return parseEvent(destinationSchema, { bucket, prefix }, `S3DestURL ${url}`);
}

/**
 * The scheduler's input: the EventBridge schedule's configured `input`, delivered as is (not the
 * EventBridge envelope).
 */
export const scheduleInputSchema = z
  .object({
    /** Instances to back up; when absent, the configured list, else every instance ListInstances returns. */
    instanceIds: z.array(z.string().min(1).max(100)).min(1).optional(),
    kinds: z.array(z.enum(KIND_NAMES)).min(1).optional(),
    /** Ask for full backups (every kind read in full); passed on in each `Backup Requested` event. */
    full: z.boolean().optional(),
  })
  .strict();

export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

/** Thrown when an event does not match its schema; the message names every problem. */
export class InvalidEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/**
 * Parses an event with a schema.
 * @throws InvalidEventError naming each invalid member, before anything is read or written.
 */
export function parseEvent<T>(schema: z.ZodType<T>, event: unknown, what: string): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      .join('; ');
    throw new InvalidEventError(`Invalid ${what}: ${problems}`, { cause: parsed.error });
  }
  return parsed.data;
}
