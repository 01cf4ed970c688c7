/**
 * schedule-backups: started by the EventBridge schedule (nightly by default). Queues one
 * `Backup Requested` message per instance on the backup queue (SQS FIFO, message group
 * `<account>/<region>`: one backup at a time per account and Region), for this account's instances
 * and, in an organisation-wide deployment, each member account's (through the member role).
 *
 * Input: the schedule's configured `input` (see `events/schedule-backups.json`), not an envelope.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createOrganizationsClient, createS3Client, createSqsClient } from '#shared/aws.js';
import { accountOfFunctionArn, backupQueueUrls, sqsBackupQueue } from '#shared/backup/backup-queue.js';
import { parseEvent, scheduleInputSchema } from '#shared/backup/events.js';
import { memberAccounts } from '#shared/backup/member-accounts.js';
import {
  accountPrefix,
  backupFreshness,
  type SchedulePorts,
  scheduleBackups,
} from '#shared/backup/schedule-backups.js';
import { type Config, ConfigError, readConfig } from '#shared/config.js';
import { createConnectClient } from '#shared/connect/client.js';
import { logger, metrics } from '#shared/observability.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';

export interface ScheduleDeps {
  config: Pick<Config, 'instanceIds'> & Partial<Pick<Config, 'prefix'>>;
  ports: SchedulePorts;
  /** The backup bucket, to check each instance's newest snapshot (the staleness heartbeat). */
  store?: SnapshotStore;
  metrics?: Pick<typeof metrics, 'addMetric'>;
}

/** Result: the instances for which a backup was queued, and those whose backups are stale. */
export interface ScheduleResult {
  requested: string[];
  /** Instances whose newest complete snapshot is older than 26 hours (when the store is known). */
  stale?: string[];
}

/**
 * The handler without middleware, for tests.
 * @throws InvalidEventError for an input that fails the schema; BackupsNotQueuedError when the
 *   queue refuses messages or a member account cannot be listed. Either way the invocation fails
 *   and Lambda retries it (a retry queues nothing twice: SQS deduplicates for 5 minutes).
 */
export async function scheduleBackupsHandler(event: unknown, deps: ScheduleDeps): Promise<ScheduleResult> {
  const input = parseEvent(scheduleInputSchema, event ?? {}, 'schedule-backups input');
  const details = await scheduleBackups(
    {
      instanceIds: input.instanceIds ?? deps.config.instanceIds,
      kinds: input.kinds,
      full: input.full,
    },
    deps.ports,
  );
  const requested = details.map((d) => d.instanceId);
  deps.metrics?.addMetric('ScheduleRuns', MetricUnit.Count, 1);
  if (!deps.store) return { requested };
  const prefix = deps.config.prefix ?? '';
  const freshness = await backupFreshness(
    details.map((d) => ({ instanceId: d.instanceId, prefix: accountPrefix(prefix, d.accountId) })),
    deps.store,
    prefix,
    deps.ports.clock.now(),
  );
  for (const s of freshness.stale)
    logger.warn('no successful backup in 26 hours', {
      instanceId: s.instanceId,
      lastFinishedAt: s.finishedAt,
      ageHours: s.ageHours,
    });
  if (freshness.neverBackedUp.length)
    logger.info('instances without a complete snapshot yet', { instances: freshness.neverBackedUp });
  deps.metrics?.addMetric('StaleInstances', MetricUnit.Count, freshness.stale.length);
  return { requested, stale: freshness.stale.map((s) => s.instanceId) };
}

let deps: ScheduleDeps | undefined;

/**
 * Clients and config, created once per container on first use (no network at module scope).
 * The account is `ACCOUNT_ID` when set (local runs), else the function's own ARN's.
 * @throws ConfigError when the backup queue is not configured (BACKUP_QUEUE_NAME or _URL).
 */
function containerDeps(invokedFunctionArn: string): ScheduleDeps {
  if (!deps) {
    const config = readConfig();
    const accountId = config.accountId ?? accountOfFunctionArn(invokedFunctionArn);
    const { queueUrl } = backupQueueUrls(config, accountId);
    if (!queueUrl)
      throw new ConfigError(
        'Invalid environment for connect-vault: BACKUP_QUEUE_NAME (or BACKUP_QUEUE_URL) is needed by schedule-backups',
      );
    const connectWith = (credentials?: Parameters<typeof createConnectClient>[0]['credentials']) =>
      createConnectClient({
        region: config.region,
        endpoint: config.endpoints.connect,
        rateFactor: config.rateFactor,
        ...(credentials ? { credentials } : {}),
      });
    const { members } = config;
    const organisationWide = members.accountIds.length > 0 || members.fromOrganizations;
    if (organisationWide && !members.roleName)
      throw new ConfigError(
        'Invalid environment for connect-vault: MEMBER_ROLE_NAME is needed with member accounts',
      );
    const s3 = createS3Client({ region: config.region, endpoint: config.endpoints.s3 });
    deps = {
      config,
      ports: {
        connect: connectWith().client,
        queue: sqsBackupQueue(
          createSqsClient({ region: config.region, endpoint: config.endpoints.sqs }),
          queueUrl,
        ),
        accountId,
        region: config.region,
        ...(organisationWide && members.roleName
          ? {
              members: memberAccounts({
                accountIds: members.accountIds,
                organizations: members.fromOrganizations
                  ? createOrganizationsClient({ region: config.region })
                  : undefined,
                roleName: members.roleName,
                externalId: members.externalId,
                region: config.region,
                connectWith,
                sessionName: 'connect-vault-schedule-backups',
              }),
            }
          : {}),
        clock: { now: () => new Date() },
        logger,
      },
      store: new S3SnapshotStore({ client: s3, bucket: config.bucket }),
      metrics,
    };
  }
  return deps;
}

export const handler = middy()
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler((event: unknown, context: Context) =>
    scheduleBackupsHandler(event, containerDeps(context.invokedFunctionArn)),
  );
