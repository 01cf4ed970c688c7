/**
 * The scheduler use case: find the instances to back up, in this account and in each member
 * account, and queue one `Backup Requested` message per instance on the backup queue (SQS FIFO,
 * `shared/backup/backup-queue.ts`), grouped by account and Region so that each account's Connect
 * quotas serve one backup at a time.
 */
import { type ConnectClient, paginateListInstances } from '@aws-sdk/client-connect';
import type { KindName } from '#shared/kinds/index.js';
import type { ClockPort, LoggerPort } from '#shared/ports.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { readLatestPointer } from '#shared/snapshot/verify.js';
import {
  type BackupQueuePort,
  deduplicationIdOf,
  messageGroupOf,
  type QueuedBackup,
} from './backup-queue.js';
import { BACKUP_REQUESTED, type BackupRequestDetail, type Destination, EVENT_SOURCE } from './events.js';

export interface ScheduleRequest {
  /** Instances of this account to back up; when empty, every ACTIVE instance ListInstances returns. */
  instanceIds: readonly string[];
  kinds?: readonly KindName[];
  /** Ask for full backups instead of incremental ones. */
  full?: boolean;
  /** Another bucket and prefix than the backup function's configured ones, passed on in each message. */
  destination?: Destination;
}

/**
 * Member accounts of an organisation-wide deployment: which accounts, and a Connect client acting
 * in each (through the member role, `infra/member-backup-role.yml`).
 */
export interface MemberAccountsPort {
  /** The member accounts to back up (the configured list, plus AWS Organizations' when allowed). */
  accounts(): Promise<string[]>;
  /** A Connect client with the member role's credentials (AssumeRole on first use). */
  connectFor(accountId: string): ConnectClient;
}

export interface SchedulePorts {
  /** Connect in this account (the scheduler's own role). */
  connect: ConnectClient;
  queue: BackupQueuePort;
  /** This account and the Region every backup runs in: the message group of this account's instances. */
  accountId: string;
  region: string;
  members?: MemberAccountsPort;
  clock: ClockPort;
  logger: LoggerPort;
}

/** Thrown when the queue refuses some messages, or member accounts cannot be listed; names each. */
export class BackupsNotQueuedError extends Error {
  constructor(
    message: string,
    /** Instances whose message the queue refused. */
    readonly failedInstanceIds: string[],
    /** Member accounts whose instances could not be listed (AssumeRole or ListInstances failed). */
    readonly failedAccounts: string[] = [],
  ) {
    super(message);
    this.name = 'BackupsNotQueuedError';
  }
}

/** Every ACTIVE instance ListInstances returns (all pages). */
async function activeInstances(connect: ConnectClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListInstances({ client: connect }, {})) {
    for (const summary of page.InstanceSummaryList ?? []) {
      if (summary.Id && summary.InstanceStatus === 'ACTIVE') ids.push(summary.Id);
    }
  }
  return ids;
}

/**
 * Lists the instances (ListInstances in this account unless a list is given; ListInstances in each
 * member account, through its role) and queues one `Backup Requested` message per instance
 * (SendMessageBatch, 10 a call): message group `<account>/<region>`, deduplication id
 * `<account>/<instanceId>@<requestedAt>`, body the EventBridge-shaped envelope
 * `{ source, detail-type, detail }`. A member account's details carry its `accountId`.
 *
 * A member account that cannot be listed is logged and the others are queued; then the run fails
 * naming it (a retried run queues nothing twice within SQS's 5-minute deduplication interval).
 *
 * @returns the details queued, this account's first, then each member's.
 * @throws BackupsNotQueuedError when the queue refuses a message (after the SDK's retries) or a
 *   member account could not be listed, so the invocation fails and is retried.
 */
export async function scheduleBackups(
  request: ScheduleRequest,
  ports: SchedulePorts,
): Promise<BackupRequestDetail[]> {
  const requestedAt = ports.clock.now().toISOString();
  const groups: Array<{ accountId: string; member: boolean; instanceIds: string[] }> = [];
  groups.push({
    accountId: ports.accountId,
    member: false,
    instanceIds: request.instanceIds.length ? [...request.instanceIds] : await activeInstances(ports.connect),
  });
  const failedAccounts: string[] = [];
  if (ports.members) {
    for (const accountId of await ports.members.accounts()) {
      if (accountId === ports.accountId) continue;
      try {
        groups.push({
          accountId,
          member: true,
          instanceIds: await activeInstances(ports.members.connectFor(accountId)),
        });
      } catch (error) {
        failedAccounts.push(accountId);
        ports.logger.warn('member account not listed', {
          accountId,
          error: `${(error as Error).name}: ${(error as Error).message}`,
        });
      }
    }
  }

  const details: BackupRequestDetail[] = [];
  const messages: QueuedBackup[] = [];
  for (const group of groups) {
    for (const instanceId of new Set(group.instanceIds)) {
      const detail: BackupRequestDetail = {
        instanceId,
        ...(group.member ? { accountId: group.accountId } : {}),
        ...(request.kinds ? { kinds: [...request.kinds] } : {}),
        ...(request.full ? { full: true } : {}),
        ...(request.destination ? { destination: request.destination } : {}),
        requestedAt,
      };
      details.push(detail);
      messages.push({
        id: String(messages.length),
        groupId: messageGroupOf(group.accountId, ports.region),
        deduplicationId: deduplicationIdOf(group.accountId, instanceId, requestedAt),
        body: JSON.stringify({ source: EVENT_SOURCE, 'detail-type': BACKUP_REQUESTED, detail }),
      });
    }
  }
  const { failed } = await ports.queue.send(messages);
  const failedInstanceIds = failed.map((id) => details[Number(id)]?.instanceId ?? id);
  if (failedInstanceIds.length || failedAccounts.length) {
    const parts = [
      ...(failedInstanceIds.length
        ? [`the queue refused the backups of ${failedInstanceIds.join(', ')}`]
        : []),
      ...(failedAccounts.length
        ? [`the instances of member account(s) ${failedAccounts.join(', ')} could not be listed`]
        : []),
    ];
    throw new BackupsNotQueuedError(
      `Backups not all queued: ${parts.join('; ')}`,
      failedInstanceIds,
      failedAccounts,
    );
  }
  ports.logger.info('backups queued', {
    instances: details.length,
    accounts: groups.map((g) => g.accountId),
  });
  return details;
}

/** Hours after which an instance's newest complete snapshot is stale: a night missed, and margin. */
export const STALE_AFTER_HOURS = 26;

/** The age of each instance's newest complete snapshot, as the scheduler sees it before a run. */
export interface BackupFreshness {
  /** Instances whose newest complete snapshot finished more than `STALE_AFTER_HOURS` ago. */
  stale: Array<{ instanceId: string; finishedAt: string; ageHours: number }>;
  /** Instances with no complete snapshot yet (a new deployment or a new instance): not stale. */
  neverBackedUp: string[];
}

/** An instance to check, and the key prefix its snapshots are under. */
export interface FreshnessTarget {
  instanceId: string;
  prefix: string;
}

/**
 * Reads each instance's `latest.json` (one S3 GetObject each) and tells which are stale: the
 * heartbeat behind the "no successful backup in 26 hours" alarm, which works per instance without a
 * CloudWatch alarm per instance.
 * @param targets instance ids under `prefix`, or each with its own prefix (a member account's
 *   instances are under `<prefix>/<account>`).
 * @throws SnapshotIntegrityError when a `latest.json` cannot be parsed (the alarm must not stay
 *   quiet over it); the store's errors unchanged.
 */
export async function backupFreshness(
  targets: ReadonlyArray<string | FreshnessTarget>,
  store: SnapshotStore,
  prefix: string,
  now: Date,
  staleAfterHours = STALE_AFTER_HOURS,
): Promise<BackupFreshness> {
  const freshness: BackupFreshness = { stale: [], neverBackedUp: [] };
  for (const target of targets) {
    const { instanceId, prefix: at } = typeof target === 'string' ? { instanceId: target, prefix } : target;
    const latest = await readLatestPointer(store, at, instanceId);
    if (!latest) {
      freshness.neverBackedUp.push(instanceId);
      continue;
    }
    const ageHours = (now.getTime() - Date.parse(latest.finishedAt)) / 3_600_000;
    if (ageHours > staleAfterHours)
      freshness.stale.push({
        instanceId,
        finishedAt: latest.finishedAt,
        ageHours: Math.round(ageHours * 10) / 10,
      });
  }
  return freshness;
}

/**
 * The key prefix a backup writes under: the configured one for this account's instances, and
 * `<prefix>/<account>` for a member account's (so `<prefix>/<account>/<instanceId>/…`).
 */
export function accountPrefix(prefix: string, accountId: string | undefined): string {
  if (!accountId) return prefix;
  return prefix ? `${prefix}/${accountId}` : accountId;
}
