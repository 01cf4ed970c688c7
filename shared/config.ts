/**
 * The Lambda functions' configuration, read from the environment once at cold start and validated.
 * A missing or malformed variable fails there, with the variable's name in the error; nothing has a
 * silent default.
 */
import { z } from 'zod';

/** Thrown at cold start when the environment is incomplete or malformed. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const keepCount = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return 0;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a whole number, 0 or more' });
      return z.NEVER;
    }
    return n;
  });

const schema = z.object({
  AWS_REGION: z.string().min(1),
  BACKUP_BUCKET: z.string().min(3),
  /** Key prefix inside the bucket, without leading or trailing slash; may be empty. */
  BACKUP_PREFIX: z.string().regex(/^(?:[^/].*[^/]|[^/])?$/, 'no leading or trailing slash'),
  EVENT_BUS_NAME: z.string().min(1),
  /** Instances the scheduler backs up; empty means every instance ListInstances returns. */
  CONNECT_INSTANCE_IDS: commaList,
  /** Fraction of Connect's default API quotas the backup may use (shared with the console). */
  CONNECT_RATE_FACTOR: z.coerce.number().positive().max(10),
  /**
   * Days after which a backup reads a kind in full again instead of incrementally: the scheduled
   * full backup that catches changes no change signal covers (7 in serverless.yml: weekly).
   */
  FULL_BACKUP_INTERVAL_DAYS: z.coerce.number().positive().max(366),
  /** The customer-managed KMS key objects are written with (SSE-KMS); empty: SSE-S3. */
  KMS_KEY_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'must be a KMS key ARN')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * The scheduled prune function's policy (restic's `forget` rules, `shared/snapshot/retention.ts`):
   * how many snapshots to keep by each rule; 0 or unset: that rule keeps nothing by itself.
   */
  PRUNE_KEEP_LAST: keepCount,
  PRUNE_KEEP_DAILY: keepCount,
  PRUNE_KEEP_WEEKLY: keepCount,
  PRUNE_KEEP_MONTHLY: keepCount,
  /**
   * This account's id: the message group of its instances' backups. Unset in AWS (the functions
   * take it from their own ARN); set for local runs.
   */
  ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * The backup queue (SQS FIFO) the scheduler sends to and backup-instance consumes, and its DLQ,
   * by name (serverless.yml; the URL is made from the Region and account) or, for local runs, by URL.
   */
  BACKUP_QUEUE_NAME: z
    .string()
    .regex(/^[\w-]{1,75}\.fifo$/, 'must be a FIFO queue name')
    .optional(),
  BACKUP_DEAD_LETTER_QUEUE_NAME: z
    .string()
    .regex(/^[\w-]{1,75}\.fifo$/, 'must be a FIFO queue name')
    .optional(),
  BACKUP_QUEUE_URL: optionalUrl,
  BACKUP_DEAD_LETTER_QUEUE_URL: optionalUrl,
  /** Organisation-wide backups: member accounts (comma-separated 12-digit ids). */
  MEMBER_ACCOUNT_IDS: commaList.pipe(
    z.array(z.string().regex(/^\d{12}$/, 'each must be a 12-digit AWS account id')),
  ),
  /** 'true': also every ACTIVE account AWS Organizations' ListAccounts returns. */
  MEMBER_ACCOUNTS_FROM_ORGANIZATIONS: z
    .enum(['true', 'false', ''])
    .optional()
    .transform((v) => v === 'true'),
  /** The role the scheduler and backup-instance assume in each member account (its name). */
  MEMBER_ROLE_NAME: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The external id the member role's trust policy asks for; empty: none. */
  MEMBER_EXTERNAL_ID: z.string().optional(),
  /** Endpoint overrides for local runs (emulator, s3rver); unset in AWS. */
  CONNECT_ENDPOINT: optionalUrl,
  SQS_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  EVENTBRIDGE_ENDPOINT: optionalUrl,
});

export type Config = {
  region: string;
  bucket: string;
  prefix: string;
  eventBusName: string;
  instanceIds: string[];
  rateFactor: number;
  /** How old a kind's last full read may get before a backup reads it in full again, in days. */
  fullBackupIntervalDays: number;
  /** The scheduled prune's keep rules (0: the rule keeps nothing by itself). */
  prune: { last: number; daily: number; weekly: number; monthly: number };
  /** SSE-KMS key for the objects written; undefined: SSE-S3. */
  kmsKeyArn?: string | undefined;
  /** This account's id (the message group `<account>/<region>` of its instances). */
  accountId?: string | undefined;
  /** The backup queue and its dead-letter queue (SQS FIFO): their names, or URLs (local runs). */
  queueName?: string | undefined;
  deadLetterQueueName?: string | undefined;
  queueUrl?: string | undefined;
  deadLetterQueueUrl?: string | undefined;
  /**
   * Organisation-wide backups: member accounts (the list, and AWS Organizations' when
   * `fromOrganizations`), the role assumed in each and its external id. No accounts and
   * `fromOrganizations` false: this account only.
   */
  members: {
    accountIds: string[];
    fromOrganizations: boolean;
    roleName?: string | undefined;
    externalId?: string | undefined;
  };
  endpoints: { connect?: string; s3?: string; eventBridge?: string; sqs?: string };
};

/**
 * Reads and validates the configuration.
 * @throws ConfigError naming every missing or malformed variable.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment for connect-vault: ${problems}`, { cause: parsed.error });
  }
  const c = parsed.data;
  return {
    region: c.AWS_REGION,
    bucket: c.BACKUP_BUCKET,
    prefix: c.BACKUP_PREFIX,
    eventBusName: c.EVENT_BUS_NAME,
    instanceIds: c.CONNECT_INSTANCE_IDS,
    rateFactor: c.CONNECT_RATE_FACTOR,
    fullBackupIntervalDays: c.FULL_BACKUP_INTERVAL_DAYS,
    kmsKeyArn: c.KMS_KEY_ARN,
    accountId: c.ACCOUNT_ID,
    queueName: c.BACKUP_QUEUE_NAME,
    deadLetterQueueName: c.BACKUP_DEAD_LETTER_QUEUE_NAME,
    queueUrl: c.BACKUP_QUEUE_URL,
    deadLetterQueueUrl: c.BACKUP_DEAD_LETTER_QUEUE_URL,
    members: {
      accountIds: c.MEMBER_ACCOUNT_IDS,
      fromOrganizations: c.MEMBER_ACCOUNTS_FROM_ORGANIZATIONS,
      roleName: c.MEMBER_ROLE_NAME,
      externalId: c.MEMBER_EXTERNAL_ID || undefined,
    },
    prune: {
      last: c.PRUNE_KEEP_LAST,
      daily: c.PRUNE_KEEP_DAILY,
      weekly: c.PRUNE_KEEP_WEEKLY,
      monthly: c.PRUNE_KEEP_MONTHLY,
    },
    endpoints: {
      connect: c.CONNECT_ENDPOINT,
      s3: c.S3_ENDPOINT,
      eventBridge: c.EVENTBRIDGE_ENDPOINT,
      sqs: c.SQS_ENDPOINT,
    },
  };
}
