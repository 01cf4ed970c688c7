/**
 * The `restore` Lambda: the request as its event payload, validated with the schema; the report in
 * S3 next to the target's snapshots; a RestoreFailedError when resources are blocked. Real HTTP to
 * the Connect emulator and s3rver.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidEventError } from '#shared/backup/events.js';
import { RestoreFailedError } from '#shared/restore/errors.js';
import type { RestoreReport } from '#shared/restore/report.js';
import { restoreReportKey } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { RestoreDeps } from '../../functions/restore/handler.js';
import { isMutating } from '../emulator/stats.js';
import { rejectionOf } from '../support/errors.js';
import { lambdaContext } from '../support/lambda-context.js';
import { LOCAL_BUCKET, LOCAL_PREFIX, type LocalStack, startLocalStack } from '../support/local-stack.js';
import {
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  restoreEmulatorOptions,
  runBackup,
} from './support.js';

let stack: LocalStack;
/** Imported once the environment is set: Powertools reads it when the module loads. */
let restoreHandler: typeof import('../../functions/restore/handler.js').restoreHandler;
let handler: typeof import('../../functions/restore/handler.js').handler;
const sample = JSON.parse(readFileSync('events/restore.json', 'utf8')) as {
  source: Record<string, unknown>;
  target: Record<string, unknown>;
  mappings: Record<string, unknown>;
};

/** The sample event, pointed at the local bucket and the seeded instances. */
function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const copy = structuredClone(sample);
  return {
    ...copy,
    source: {
      ...copy.source,
      bucket: LOCAL_BUCKET,
      prefix: LOCAL_PREFIX,
      instanceId: instanceNamed(stack.emulator, 'demo-source').id,
    },
    target: { ...copy.target, instanceId: instanceNamed(stack.emulator, 'demo-target').id },
    ...overrides,
  };
}

/** Deps as the container makes them, with the target reached by the emulator's target credentials. */
function deps(): RestoreDeps {
  const source = instanceNamed(stack.emulator, 'demo-source');
  return {
    storeFor: (bucket) => new S3SnapshotStore({ client: stack.s3.client(), bucket }),
    sourceConnect: emulatorClient(stack.emulator, source).client,
    targetConnectFor: (target) => {
      expect(target.roleArn).toBe(sample.target.roleArn);
      return emulatorClient(stack.emulator, instanceNamed(stack.emulator, 'demo-target'));
    },
    clock: { now: () => new Date() },
    bus: {
      eventBridge: new EventBridgeClient({
        region: 'us-east-1',
        endpoint: stack.bus.endpoint,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      eventBusName: 'connect-vault-local',
    },
  };
}

/** The restore announcements put on the bus since `from`, as detail-type and parsed detail. */
function announcements(from: number): Array<{ type: string | undefined; detail: Record<string, unknown> }> {
  return stack.bus.entries
    .slice(from)
    .filter((e) => e.DetailType?.startsWith('Restore '))
    .map((e) => ({ type: e.DetailType, detail: JSON.parse(e.Detail ?? '{}') as Record<string, unknown> }));
}

function mutatingCalls(): number {
  return Object.entries(stack.emulator.stats().operations)
    .filter(([op]) => isMutating(op))
    .reduce((n, [, s]) => n + s.calls, 0);
}

async function storedReport(key: string): Promise<RestoreReport> {
  const out = await stack.s3.client().send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return JSON.parse((await out.Body?.transformToString('utf8')) ?? '') as RestoreReport;
}

beforeAll(async () => {
  stack = await startLocalStack(restoreEmulatorOptions({ seed: 'demo' }));
  Object.assign(process.env, stack.env, {
    CONNECT_RATE_FACTOR: '10',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  ({ restoreHandler, handler } = await import('../../functions/restore/handler.js'));
  const source = instanceNamed(stack.emulator, 'demo-source');
  await runBackup(
    emulatorClient(stack.emulator, source),
    new S3SnapshotStore({ client: stack.s3.client(), bucket: LOCAL_BUCKET }),
    source.id,
    { prefix: LOCAL_PREFIX },
  );
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('the restore function', () => {
  it('rejects an invalid event before any Connect or S3 call, naming the problem', async () => {
    stack.emulator.resetStats();

    const error = await rejectionOf(
      restoreHandler({ source: { bucket: LOCAL_BUCKET }, mode: 'wipe' }, deps()),
    );

    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain('source.instanceId');
    expect(error.message).toContain('mode');
    expect(stack.emulator.stats().totals.calls).toBe(0);
  });

  it('refuses a folder source: the function reads snapshots from S3', async () => {
    const error = await rejectionOf(
      restoreHandler(event({ source: { folder: '/tmp', instanceId: 'x' } }), deps()),
    );

    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain('source.folder');
  });

  it('plans a dry run of the sample event with no write, and puts the report in S3', async () => {
    stack.emulator.resetStats();
    const before = stack.bus.entries.length;

    const result = await restoreHandler(event({ dryRun: true }), deps());

    // A dry run writes nothing: nothing to freeze changes for, so nothing is announced.
    expect(announcements(before)).toEqual([]);
    const target = instanceNamed(stack.emulator, 'demo-target');
    const key = restoreReportKey(LOCAL_PREFIX, target.id, result.restoreId);
    expect(mutatingCalls()).toBe(0);
    expect(result.status).toBe('planned');
    expect(result.reportLocation).toBe(`s3://${LOCAL_BUCKET}/${key}`);
    const report = await storedReport(key);
    expect(report.counts).toEqual(result.counts);
    // 108 resources demo-target lacks (2 of them predefined attributes, 2 evaluation forms, 2 vocabularies, 2 task templates, 2 views, 2 rules), its hierarchy levels, 3
    // Lambda functions, the Lex bot and 2 approved origins; the 4 phone numbers of demo-source are
    // skipped (the sample maps none: numbers are never claimed); 12 of the 14 instance attributes
    // are equal, and create-missing leaves the 2 that differ alone.
    expect(report.counts).toEqual({ create: 114, update: 0, unchanged: 49, skip: 6 });
  });

  it('restores across accounts with the sample mapping, and fails loudly when references stay unresolved', async () => {
    const unmapped = await rejectionOf(restoreHandler(event({ mappings: {} }), deps()));
    stack.emulator.propagation.settle(); // the second run comes once the first one's writes have propagated
    const before = stack.bus.entries.length;
    const mapped = await restoreHandler(
      event({ mappings: CROSS_ACCOUNT_MAPPING, mode: 'overwrite' }),
      deps(),
    );

    expect(announcements(before)).toEqual([
      {
        type: 'Restore Started',
        detail: expect.objectContaining({ restoreId: mapped.restoreId, mode: 'overwrite' }),
      },
      {
        type: 'Restore Finished',
        detail: expect.objectContaining({
          restoreId: mapped.restoreId,
          status: 'succeeded',
          reportLocation: mapped.reportLocation,
        }),
      },
    ]);
    expect(sample.mappings).toEqual(CROSS_ACCOUNT_MAPPING);
    expect(unmapped).toBeInstanceOf(RestoreFailedError);
    // 12 blocked by the unmapped Lambda functions and Lex bot, the 2 task templates whose flows
    // (Support Queue Flow, Billing Queue Flow) are among them, and the rule whose task runs one.
    expect(unmapped.message).toMatch(/^Restore \S+ blocked: 0 failed, 15 blocked, 0 not run; see s3:\/\//);
    expect(mapped.status).toBe('succeeded');
    expect(mapped.unresolved).toBe(0);
    expect(mapped.passwordResets).toBe(0);
    // Prompts demo-target lacked were created from the snapshot's audio in the bucket, byte for byte.
    const audio = (alias: string) =>
      new Map(
        (
          stack.emulator.world.instances.get(instanceNamed(stack.emulator, alias).id)?.prompts.all() ?? []
        ).map((p) => [p.name, p] as const),
      );
    const [from, to] = [audio('demo-source'), audio('demo-target')];
    const created = [...to.values()].filter((p) =>
      p.s3Uri.startsWith(`s3://${LOCAL_BUCKET}/${LOCAL_PREFIX}/`),
    );
    expect(created.map((p) => p.name).sort()).toEqual(['Holiday Closure.wav', 'Welcome Greeting.wav']);
    for (const [name, prompt] of from)
      expect(Buffer.from(to.get(name)?.audio.bytes ?? []).equals(Buffer.from(prompt.audio.bytes)), name).toBe(
        true,
      );
    expect(created.some((p) => p.audio.placeholder)).toBe(false);
  });

  it('runs as the deployed handler (middy, config from the environment) for a point-in-time dry run', async () => {
    const source = instanceNamed(stack.emulator, 'demo-source');
    stack.emulator.resetStats();

    const result = await handler(
      {
        source: { bucket: LOCAL_BUCKET, prefix: LOCAL_PREFIX, instanceId: source.id },
        mode: 'overwrite',
        dryRun: true,
      },
      lambdaContext('restore'),
    );

    expect(result.status).toBe('planned');
    expect(result.counts.create + result.counts.update + result.counts.skip).toBe(0);
    expect(mutatingCalls()).toBe(0);
  });
});
