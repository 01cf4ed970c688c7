/**
 * backup-instance past its time limit: near the deadline it checkpoints inside the unfinished
 * snapshot and puts a `Backup Continued` event on the bus; the next invocation resumes. Several
 * continuations make one snapshot, identical to a single run, without redoing finished work, and
 * two invocations racing for one snapshot never both hand it over or both write its manifest.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBridgeClient } from '#shared/aws.js';
import { BackupFailedError } from '#shared/backup/backup-instance.js';
import { checkpointKey } from '#shared/backup/checkpoint.js';
import { BACKUP_CONTINUED, backupEventSchema } from '#shared/backup/events.js';
import { createConnectClient, type InstrumentedConnectClient } from '#shared/connect/client.js';
import { readChangeLog } from '#shared/snapshot/changes.js';
import { latestKey, manifestKey, snapshotRoot } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { verifySnapshot } from '#shared/snapshot/verify.js';
import type { BackupDeps, BackupHandlerResult } from '../../functions/backup-instance/handler.js';
import type { SeededInstance } from '../emulator/index.js';
import { rejectionOf } from '../support/errors.js';
import { lambdaContext } from '../support/lambda-context.js';
import { type EventEnvelope, startLocalBus } from '../support/local-bus.js';
import {
  LOCAL_ACCOUNT,
  LOCAL_BUCKET,
  LOCAL_PREFIX,
  LOCAL_REGION,
  type LocalStack,
  startLocalStack,
} from '../support/local-stack.js';
import { manifestOf, objectsOf, PREFIX, resourceObjects } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';

/** Connect's default quotas, this many times faster, in the emulator and in the product's limiter. */
const SPEED = 4;

let stack: LocalStack;
let source: SeededInstance;
/** The handler module, imported once the environment is set (Powertools reads it at import). */
let lambda: typeof import('../../functions/backup-instance/handler.js');
const backupInstanceHandler = (...args: Parameters<typeof lambda.backupInstanceHandler>) =>
  lambda.backupInstanceHandler(...args);

beforeAll(async () => {
  stack = await startLocalStack({ seed: 'demo', throttle: { timeScale: SPEED } });
  Object.assign(process.env, stack.env, {
    CONNECT_RATE_FACTOR: String(SPEED),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  lambda = await import('../../functions/backup-instance/handler.js');
  const found = stack.emulator.instances.find((i) => i.alias === 'demo-source');
  if (!found) throw new Error('no demo-source');
  source = found;
});

afterAll(async () => {
  await stack?.close();
});

function requested(detail: Record<string, unknown>): EventEnvelope {
  return {
    version: '0',
    id: 'a4f1c0de-0000-4000-8000-000000000001',
    'detail-type': 'Backup Requested',
    source: 'connect-vault',
    account: LOCAL_ACCOUNT,
    time: '2026-11-22T02:00:07Z',
    region: LOCAL_REGION,
    resources: [],
    detail: { instanceId: source.id, ...detail },
  };
}

/** The newest `Backup Continued` event the bus holds, as the rule delivers it. */
function lastContinuation(bus: LocalStack['bus']): EventEnvelope {
  const event = bus
    .envelopes(LOCAL_ACCOUNT, LOCAL_REGION)
    .filter((e) => e['detail-type'] === BACKUP_CONTINUED)
    .at(-1);
  if (!event) throw new Error('no Backup Continued event on the bus');
  return event;
}

describe('backup-instance with a tiny remaining-time budget (middy, S3, the bus)', () => {
  it('continues in several invocations and makes one snapshot, identical to a single run', async () => {
    const { handler, DEADLINE_RESERVE_MS } = lambda;
    // 300 ms of work before middy's early timeout aborts the signal.
    const budget = () => lambdaContext('backupInstance', DEADLINE_RESERVE_MS + 300);
    const results: BackupHandlerResult[] = [await handler(requested({}), budget())];
    while (results.at(-1)?.status === 'continued' && results.length < 50) {
      results.push(await handler(lastContinuation(stack.bus), budget()));
    }
    const single = await handler(requested({ full: true }), lambdaContext('backupInstance'));

    const continued = results.at(-1);
    if (!continued) throw new Error('no result');
    const store = new S3SnapshotStore({ client: stack.s3.client(), bucket: LOCAL_BUCKET });
    const statuses = results.map((r) => r.status);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(statuses).toEqual([...statuses.slice(0, -1).map(() => 'continued'), 'complete']);
    expect(results.map((r) => r.snapshotId)).toEqual(results.map(() => continued.snapshotId));
    expect(results.slice(0, -1).map((r) => r.continuation)).toEqual(
      results.slice(0, -1).map((_, i) => i + 1),
    );
    expect(single.status).toBe('complete');
    expect(await objectsOf(store, source.id, continued.snapshotId, LOCAL_PREFIX)).toEqual(
      await objectsOf(store, source.id, single.snapshotId, LOCAL_PREFIX),
    );
    const [a, b] = await Promise.all([
      manifestOf(store, source.id, continued.snapshotId, LOCAL_PREFIX),
      manifestOf(store, source.id, single.snapshotId, LOCAL_PREFIX),
    ]);
    expect(resourceObjects(a)).toEqual(resourceObjects(b));
    expect(a.counts).toEqual(b.counts);
    // changes.json: the continued snapshot is the instance's first (every resource added, as the
    // first invocation found no latest.json); the full read of the same state after it changes nothing.
    const [firstLog, secondLog] = await Promise.all(
      [a, b].map(async (m) => (await readChangeLog(store, LOCAL_PREFIX, m)) ?? undefined),
    );
    const resources = Object.values(a.counts).reduce((x, y) => x + y, 0);
    expect(firstLog).toMatchObject({
      previous: null,
      total: { added: resources + 2, removed: 0, changed: 0 },
    });
    expect(continued.changedResources).toBe(resources + 2);
    expect(secondLog).toMatchObject({
      previous: { snapshotId: continued.snapshotId },
      total: { added: 0, removed: 0, changed: 0 },
    });
    expect(single.changedResources).toBe(0);
    expect(a.kinds).toEqual({ ...b.kinds, byKind: a.kinds.byKind });
    expect(await verifySnapshot(store, LOCAL_PREFIX, source.id, continued.snapshotId)).toMatchObject({
      ok: true,
      unexpected: [],
    });
    const checkpoints: string[] = [];
    for await (const key of store.list(
      `${snapshotRoot(LOCAL_PREFIX, source.id, continued.snapshotId)}checkpoints/`,
    ))
      checkpoints.push(key.split('/').at(-1) ?? '');
    expect(checkpoints.sort()).toEqual(
      [
        ...results.slice(0, -1).map((_, i) => `${i + 1}.json`),
        // Each invocation's lease on its continuation (working state, like the checkpoints).
        ...results.map((_, i) => `${i}.lease.json`),
      ].sort(),
    );
  }, 60_000);
});

/** Deps for the plain handler: a client of the demo instance, the local bus, an in-memory store. */
function depsWith(
  store: MemorySnapshotStore,
  bus: { endpoint: string },
): BackupDeps & { client: InstrumentedConnectClient } {
  const client = createConnectClient({
    region: source.region,
    endpoint: stack.emulator.endpoint,
    credentials: stack.emulator.credentials(source.accountId),
    rateFactor: SPEED,
  });
  return {
    client,
    config: { prefix: PREFIX, eventBusName: 'connect-vault-local', fullBackupIntervalDays: 7 },
    connect: client.client,
    connectStats: client.stats,
    store,
    clock: { now: () => new Date() },
    eventBridge: createEventBridgeClient({ region: LOCAL_REGION, endpoint: bus.endpoint }),
  };
}

/** A signal that aborts after `ms`, as middy's early timeout does. */
function deadlineIn(ms: number): AbortSignal {
  return AbortSignal.timeout(ms);
}

describe('backupInstanceHandler at its deadline', () => {
  it('writes every object once over all continuations, each checkpoint once, and the manifest once', async () => {
    const bus = await startLocalBus();
    try {
      const store = new MemorySnapshotStore();
      const deps = depsWith(store, bus);
      const results = [await backupInstanceHandler(requested({}), deps, deadlineIn(250))];
      while (results.at(-1)?.status === 'continued' && results.length < 50) {
        const event = lastContinuation(bus as unknown as LocalStack['bus']);
        results.push(await backupInstanceHandler(event, deps, deadlineIn(250)));
      }

      const last = results.at(-1);
      if (!last) throw new Error('no result');
      const manifest = await manifestOf(store, source.id, last.snapshotId);
      expect(last.status).toBe('complete');
      expect(results.length).toBeGreaterThanOrEqual(3);
      const root = snapshotRoot(PREFIX, source.id, last.snapshotId);
      const writes = [...store.writes].filter(([key]) => key.startsWith(root));
      expect(writes.filter(([, n]) => n !== 1)).toEqual([]);
      expect(writes.map(([key]) => key.slice(root.length)).sort()).toEqual(
        [
          ...manifest.objects.map((o) => o.key),
          'manifest.json',
          'report.html',
          ...results.slice(0, -1).map((_, i) => `checkpoints/${i + 1}.json`),
          ...results.map((_, i) => `checkpoints/${i}.lease.json`),
        ].sort(),
      );
      expect(bus.entries.map((e) => JSON.parse(e.Detail ?? '{}'))).toEqual(
        results
          .slice(0, -1)
          .map((_, i) => ({ instanceId: source.id, snapshotId: last.snapshotId, continuation: i + 1 })),
      );
      expect(manifest.apiCalls.DescribeUser).toBeGreaterThanOrEqual(manifest.counts.users ?? 0);
    } finally {
      await bus.close();
    }
  }, 60_000);

  it('lets only one of two invocations racing for a snapshot write its manifest and move latest.json', async () => {
    const bus = await startLocalBus();
    try {
      const store = new MemorySnapshotStore();
      const deps = depsWith(store, bus);
      const first = await backupInstanceHandler(requested({}), deps, deadlineIn(150));
      expect(first.status).toBe('continued');
      const event = lastContinuation(bus as unknown as LocalStack['bus']);

      const racing = await Promise.all([
        backupInstanceHandler(event, deps),
        backupInstanceHandler(structuredClone(event), deps),
      ]);
      const late = await backupInstanceHandler(structuredClone(event), deps);

      expect(racing.map((r) => r.status).sort()).toEqual(['complete', 'duplicate']);
      expect(late.status).toBe('duplicate');
      expect(store.writes.get(manifestKey(PREFIX, source.id, first.snapshotId))).toBe(1);
      expect(store.writes.get(latestKey(PREFIX, source.id))).toBe(1);
      expect(await verifySnapshot(store, PREFIX, source.id, first.snapshotId)).toMatchObject({ ok: true });
      expect(bus.entries).toHaveLength(1);
    } finally {
      await bus.close();
    }
  }, 60_000);

  it('hands a snapshot over once when two invocations of one continuation both reach their deadline', async () => {
    const bus = await startLocalBus();
    try {
      const store = new MemorySnapshotStore();
      const deps = depsWith(store, bus);
      await backupInstanceHandler(requested({}), deps, deadlineIn(150));
      const event = lastContinuation(bus as unknown as LocalStack['bus']);

      const racing = await Promise.all([
        backupInstanceHandler(event, deps, deadlineIn(150)),
        backupInstanceHandler(structuredClone(event), deps, deadlineIn(150)),
      ]);

      expect(racing.map((r) => r.status).sort()).toEqual(['continued', 'duplicate']);
      expect(bus.entries.map((e) => JSON.parse(e.Detail ?? '{}').continuation)).toEqual([1, 2]);
    } finally {
      await bus.close();
    }
  }, 60_000);

  it('fails, writing nothing, when the checkpoint to resume from does not exist', async () => {
    const store = new MemorySnapshotStore();
    const deps = depsWith(store, { endpoint: 'http://127.0.0.1:9' });
    const event = {
      ...requested({}),
      'detail-type': BACKUP_CONTINUED,
      detail: { instanceId: source.id, snapshotId: '2026-11-22T02-00-07.123Z', continuation: 3 },
    };

    const error = await rejectionOf(backupInstanceHandler(event, deps));

    expect(error).toBeInstanceOf(BackupFailedError);
    expect(error.message).toBe(
      `Cannot resume snapshot 2026-11-22T02-00-07.123Z: there is no checkpoint ${checkpointKey(PREFIX, source.id, '2026-11-22T02-00-07.123Z', 3)}`,
    );
    expect(store.writes.size).toBe(0);
  });

  it('fails at the deadline when it has no bus to continue on, and leaves no manifest', async () => {
    const store = new MemorySnapshotStore();
    const { eventBridge: _none, ...deps } = depsWith(store, { endpoint: 'http://127.0.0.1:9' });

    const error = await rejectionOf(backupInstanceHandler(requested({}), deps, deadlineIn(600)));

    expect(error).toBeInstanceOf(BackupFailedError);
    expect(error.message).toMatch(/reached its deadline and cannot continue; snapshot \S+ has no manifest$/);
    expect([...store.objects.keys()].filter((k) => k.endsWith('manifest.json'))).toEqual([]);
  });
});

describe('the sample events of backup-instance', () => {
  it('are valid: a full backup request and a continuation', () => {
    const fixture = (name: string): unknown => JSON.parse(readFileSync(`events/${name}`, 'utf8'));

    expect(backupEventSchema.parse(fixture('backup-instance-full.json')).detail).toEqual({
      instanceId: 'a3272d07-cc52-45bf-82bb-7e6c62364219',
      full: true,
      requestedAt: '2026-11-22T14:29:58.004Z',
    });
    expect(backupEventSchema.parse(fixture('backup-continued.json')).detail).toEqual({
      instanceId: 'a3272d07-cc52-45bf-82bb-7e6c62364219',
      snapshotId: '2026-11-22T02-00-07.123Z',
      continuation: 1,
    });
  });
});
