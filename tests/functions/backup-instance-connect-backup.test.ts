/**
 * backup-instance on connect-backup's event, `{ ConnectInstanceId?, S3DestURL?, FlowsRaw? }`: a
 * normal, verified snapshot under the URL's bucket and prefix (continuations keep that destination);
 * without an instance, one `Backup Requested` message per instance on the backup queue, each naming
 * the destination; bad
 * events fail before any call.
 */

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsBackupQueue } from '#shared/backup/backup-queue.js';
import { BACKUP_CONTINUED, BACKUP_REQUESTED } from '#shared/backup/events.js';
import { latestKey } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { verifySnapshot } from '#shared/snapshot/verify.js';
import {
  type BackupDeps,
  type BackupHandlerResult,
  type FanOutResult,
  invocationHandler,
} from '../../functions/backup-instance/handler.js';
import { emulatorClient } from '../backup/support.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { type LocalBus, startLocalBus } from '../support/local-bus.js';
import { type LocalSqs, startLocalSqs } from '../support/local-sqs.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';

const CONFIGURED = 'vault-test';
const LEGACY = 'legacy-backups';

let emulator: ConnectEmulator;
let s3: S3rverHandle;
let bus: LocalBus;
let sqs: LocalSqs;
let source: SeededInstance;
let deps: BackupDeps;

const storeOf = (bucket: string) => new S3SnapshotStore({ client: s3.client(), bucket });

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  s3 = await startS3rver({ buckets: [CONFIGURED, LEGACY] });
  bus = await startLocalBus();
  sqs = await startLocalSqs();
  source = emulator.instances.find((i) => i.alias === 'demo-source') ?? (undefined as never);
  const client = emulatorClient(emulator, source);
  deps = {
    config: { bucket: CONFIGURED, prefix: 'vault', eventBusName: 'connect-vault-test' },
    connect: client.client,
    connectStats: client.stats,
    store: storeOf(CONFIGURED),
    storeFor: storeOf,
    clock: { now: () => new Date() },
    eventBridge: new EventBridgeClient({
      region: source.region,
      endpoint: bus.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
    queue: sqsBackupQueue(
      new SQSClient({
        region: source.region,
        endpoint: sqs.endpoint,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      sqs.queueUrl,
    ),
    accountId: source.accountId,
    region: source.region,
  };
});

afterAll(async () => {
  await emulator?.close();
  await s3?.close();
  await bus?.close();
  await sqs?.close();
});

async function keysOf(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storeOf(bucket).list('')) keys.push(key);
  return keys;
}

describe('backup-instance on a connect-backup event', () => {
  it('writes a verified snapshot under S3DestURL, and each continuation keeps that destination', async () => {
    const event = { ConnectInstanceId: source.id, S3DestURL: `s3://${LEGACY}/connect/prod/`, FlowsRaw: true };
    // A deadline 250 ms away: the backup hands over, as at the Lambda's deadline.
    const results = [(await invocationHandler(event, deps, AbortSignal.timeout(250))) as BackupHandlerResult];
    while (results.at(-1)?.status === 'continued' && results.length < 50) {
      const continued = bus
        .envelopes(source.accountId, source.region)
        .filter((e) => e['detail-type'] === BACKUP_CONTINUED)
        .at(-1);
      expect(continued?.detail).toMatchObject({ destination: { bucket: LEGACY, prefix: 'connect/prod' } });
      results.push(
        (await invocationHandler(continued, deps, AbortSignal.timeout(250))) as BackupHandlerResult,
      );
    }
    const done = results.at(-1);

    expect(results.length).toBeGreaterThan(1);
    expect(done?.status).toBe('complete');
    const legacy = await keysOf(LEGACY);
    expect(legacy).toContain(latestKey('connect/prod', source.id));
    expect(
      legacy.some((k) => k.startsWith(`connect/prod/${source.id}/snapshots/${done?.snapshotId}/flows-raw/`)),
    ).toBe(true);
    expect(
      await verifySnapshot(storeOf(LEGACY), 'connect/prod', source.id, done?.snapshotId ?? ''),
    ).toMatchObject({
      ok: true,
    });
    expect(await keysOf(CONFIGURED)).toEqual([]);
  }, 120_000);

  it('without an instance, queues one Backup Requested message per instance, each with the destination', async () => {
    const before = sqs.queue.messages.length;

    const result = (await invocationHandler({ S3DestURL: `s3://${LEGACY}/nightly` }, deps)) as FanOutResult;

    const put = sqs.queue.messages.slice(before).map((m) => ({
      group: m.groupId,
      type: JSON.parse(m.body)['detail-type'],
      detail: JSON.parse(m.body).detail,
    }));
    const ids = emulator.instances
      .filter((i) => i.accountId === source.accountId && i.region === source.region)
      .map((i) => i.id);
    expect(result).toMatchObject({ status: 'requested', destination: { bucket: LEGACY, prefix: 'nightly' } });
    expect(result.requested.sort()).toEqual(ids.sort());
    expect(put.map((p) => p.type)).toEqual(ids.map(() => BACKUP_REQUESTED));
    expect(put.map((p) => p.group)).toEqual(ids.map(() => `${source.accountId}/${source.region}`));
    for (const p of put) expect(p.detail.destination).toEqual({ bucket: LEGACY, prefix: 'nightly' });
  });

  it('with no member at all, backs up every instance into the configured bucket and prefix', async () => {
    sqs.queue.messages.length = 0;

    const result = (await invocationHandler({}, deps)) as FanOutResult;

    expect(result.destination).toEqual({ bucket: CONFIGURED, prefix: 'vault' });
    const details = sqs.queue.messages.map((m) => JSON.parse(m.body).detail);
    expect(details.length).toBeGreaterThan(0);
    for (const detail of details) expect(detail.destination).toBeUndefined();
  });

  it('rejects a bad event before any call, naming each problem', async () => {
    emulator.resetStats();
    const before = bus.entries.length;
    const queued = sqs.queue.sent.length;

    const bad = await rejectionOf(
      invocationHandler(
        { ConnectInstanceId: '', S3DestURL: 'https://example.com/x', FlowsRaw: 'yes', Extra: 1 },
        deps,
      ),
    );
    const badBucket = await rejectionOf(invocationHandler({ S3DestURL: 's3://Not_A_Bucket/x' }, deps));

    expect(bad.name).toBe('InvalidEventError');
    expect(bad.message).toContain('ConnectInstanceId: Too small');
    expect(bad.message).toContain('S3DestURL: must be an S3 URL like s3://bucket/prefix');
    expect(bad.message).toContain('FlowsRaw');
    expect(bad.message).toContain('Unrecognized key');
    expect(badBucket.name).toBe('InvalidEventError');
    expect(badBucket.message).toContain('bucket: must be an S3 bucket name');
    expect(emulator.stats().totals.calls).toBe(0);
    expect(bus.entries.length).toBe(before);
    expect(sqs.queue.sent.length).toBe(queued);
  });

  it('refuses another bucket when the function has no store for it', async () => {
    const { storeFor: _unused, ...onlyConfigured } = deps;

    const error = await rejectionOf(
      invocationHandler({ ConnectInstanceId: source.id, S3DestURL: `s3://${LEGACY}/x` }, onlyConfigured),
    );

    expect(error.name).toBe('DestinationNotAllowedError');
  });
});
