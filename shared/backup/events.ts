/**
 * The `Backup Requested` event: what the scheduler puts on the bus, one per instance, and what an
 * on-demand backup sends. The backup-instance function validates it with the same schema.
 */
import { z } from 'zod';
import { KIND_NAMES } from '#shared/kinds/index.js';

export const EVENT_SOURCE = 'connect-vault';
export const BACKUP_REQUESTED = 'Backup Requested';

/** The `detail` of a `Backup Requested` event. */
export const backupRequestDetailSchema = z
  .object({
    /** The Connect instance id (a UUID), 1..100 characters as in the API. */
    instanceId: z.string().min(1).max(100),
    /** Kinds to back up; every kind when absent. */
    kinds: z.array(z.enum(KIND_NAMES)).min(1).optional(),
    /** When the request was made (ISO 8601), for logs. */
    requestedAt: z.iso.datetime().optional(),
  })
  .strict();

export type BackupRequestDetail = z.infer<typeof backupRequestDetailSchema>;

/** The EventBridge envelope of a `Backup Requested` event, as the rule delivers it. */
export const backupRequestedEventSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.literal(BACKUP_REQUESTED),
  detail: backupRequestDetailSchema,
});

export type BackupRequestedEvent = z.infer<typeof backupRequestedEventSchema>;

/**
 * The scheduler's input: the EventBridge schedule's configured `input`, delivered as is (not the
 * EventBridge envelope).
 */
export const scheduleInputSchema = z
  .object({
    /** Instances to back up; when absent, the configured list, else every instance ListInstances returns. */
    instanceIds: z.array(z.string().min(1).max(100)).min(1).optional(),
    kinds: z.array(z.enum(KIND_NAMES)).min(1).optional(),
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
