/**
 * The safety snapshot: before its first write a restore backs up the target (marked with the
 * restore's id, verified like any snapshot) and the report says how to roll back; a failed backup
 * stops the restore before any write; `safetySnapshot: false` opts out; retention keeps recent ones.
 */
import { UpdateQueueMaxContactsCommand } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeForRestore } from '#shared/cli/exit-codes.js';
import { formatSummary } from '#shared/restore/report.js';
import { applyRetention } from '#shared/snapshot/retention.js';
import { readVerifiedManifest, verifySnapshot } from '#shared/snapshot/verify.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import { rejectionOf } from '../support/errors.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  PREFIX,
  restoreIntoDemoTarget,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
});

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
});

const _source = () => instanceNamed(emulator, 'demo-source');
const target = () => instanceNamed(emulator, 'demo-target');

function restore(options: { safetySnapshot?: boolean; verify?: boolean } = {}) {
  return restoreIntoDemoTarget(
    emulator,
    folder,
    {
      mappings: CROSS_ACCOUNT_MAPPING,
      ...(options.safetySnapshot === false ? { safetySnapshot: false } : {}),
      ...(options.verify ? { verify: true } : {}),
    },
    { targetStats: true, reportToFolder: true, verifyRetry: { attempts: 3, delayMs: 500 } },
  );
}

const flowNamesOf = (instanceId: string) =>
  (emulator.world.instances.get(instanceId)?.flows.all() ?? []).map((f) => f.name).sort();

describe('the safety snapshot', () => {
  it('stops the restore before any write when the target cannot be backed up', async () => {
    emulator.denied.add('GetPromptFile');
    emulator.resetStats();
    try {
      const error = await rejectionOf(restore());

      expect(error.name).toBe('SafetySnapshotFailedError');
      expect(error.message).toContain('nothing was written to Connect');
      expect(error.message).toContain('--no-safety-snapshot');
      expect(Object.keys(emulator.stats().operations).filter(isMutating)).toEqual([]);
    } finally {
      emulator.denied.delete('GetPromptFile');
    }
  });

  it('backs up the target as it was before the first write, and the report says how to roll back', async () => {
    const before = flowNamesOf(target().id);

    const report = await restore();

    expect(report.status).toBe('succeeded');
    const safety = report.safetySnapshot;
    expect(safety?.location).toContain(`${PREFIX}/${target().id}/snapshots/${safety?.snapshotId}/`);
    expect(safety?.rollback).toBe(
      `connect-vault restore --from ${folder.root}/${PREFIX} --source-instance-id ${target().id} --snapshot ${safety?.snapshotId} --target-instance-id ${target().id} --target-region ${target().region} --mode overwrite`,
    );
    const snapshotId = safety?.snapshotId ?? '';
    expect((await verifySnapshot(folder.store, PREFIX, target().id, snapshotId)).ok).toBe(true);
    expect((await readVerifiedManifest(folder.store, PREFIX, target().id, snapshotId)).safetyFor).toBe(
      report.restoreId,
    );
    const documents = await snapshotDocuments(folder.store, PREFIX, target().id, snapshotId);
    expect(documents.documents.flows.map((d) => d.name).sort()).toEqual(before);
    // The restore then created flows the target did not have.
    expect(flowNamesOf(target().id).length).toBeGreaterThan(before.length);
  }, 120_000);

  it('is not taken when the request opts out, or when there is nothing to write', async () => {
    emulator.propagation.settle();
    const optOut = await restore({ safetySnapshot: false });
    const again = await restore();

    expect(optOut.safetySnapshot).toBeUndefined();
    // Everything is in place now: the second run plans no write, so no backup is needed.
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(again.safetySnapshot).toBeUndefined();
  }, 120_000);
});

describe('post-restore verification', () => {
  it('reads the target again and finds every restored resource equal to the snapshot', async () => {
    emulator.propagation.settle();

    const report = await restore({ verify: true, safetySnapshot: false });

    expect(report.status).toBe('succeeded');
    expect(report.verification?.checked).toBe(
      report.entries.filter((e) => ['created', 'updated', 'unchanged'].includes(e.outcome ?? '')).length,
    );
    expect(report.verification?.checked).toBeGreaterThan(50);
    expect(report.verification?.differences).toEqual([]);
  }, 120_000);

  it('lists a write the target acknowledged and silently lost, and the restore fails', async () => {
    emulator.propagation.settle();
    const client = emulatorClient(emulator, target()).client;
    const queue = emulator.world.instances.get(target().id)?.queues.findByName('Technical Support');
    if (!queue) throw new Error('no Technical Support queue in demo-target');
    const maxContacts = queue.entity.MaxContacts;
    // Changed in the target since the restore; an overwrite puts it back, but Connect loses the write.
    await client.send(
      new UpdateQueueMaxContactsCommand({ InstanceId: target().id, QueueId: queue.id, MaxContacts: 77 }),
    );
    emulator.faults.set([{ operation: 'UpdateQueueMaxContacts', kind: 'lose-write', fromCall: 1 }]);
    try {
      emulator.propagation.settle();
      const report = await restoreIntoDemoTarget(
        emulator,
        folder,
        { mappings: CROSS_ACCOUNT_MAPPING, mode: 'overwrite', verify: true, safetySnapshot: false },
        { targetStats: true, reportToFolder: true, verifyRetry: { attempts: 2, delayMs: 300 } },
      );

      const entry = report.entries.find((e) => e.kind === 'queues' && e.name === 'Technical Support');
      expect(entry?.outcome).toBe('updated');
      expect(report.apiCalls.UpdateQueueMaxContacts).toBe(1);
      expect(report.verification?.attempts).toBe(2);
      expect(report.verification?.differences).toEqual([
        { kind: 'queues', name: 'Technical Support', targetId: queue.id, changes: ['MaxContacts'] },
      ]);
      expect(report.status).toBe('failed');
      expect(exitCodeForRestore(report)).toBe(1);
      expect(formatSummary(report)).toMatch(
        /Verification: 1 of \d+ resources still differ from the snapshot after 2 read\(s\) of the target:\n {2}queues "Technical Support": MaxContacts/,
      );
    } finally {
      emulator.faults.set([]);
      queue.entity.MaxContacts = maxContacts;
    }
  }, 120_000);
});

describe('retention of safety snapshots', () => {
  it('keeps a restore’s safety snapshot for 7 days whatever the rules say, then lets the rules decide', () => {
    const now = new Date('2026-12-04T12:00:00.000Z');
    const decisions = applyRetention(
      [
        { snapshotId: '2026-12-04T02-00-00.000Z', startedAt: '2026-12-04T02:00:00.000Z' },
        {
          snapshotId: '2026-12-03T09-00-00.000Z',
          startedAt: '2026-12-03T09:00:00.000Z',
          safetyFor: 'r-recent',
        },
        { snapshotId: '2026-11-20T09-00-00.000Z', startedAt: '2026-11-20T09:00:00.000Z', safetyFor: 'r-old' },
      ],
      { last: 1 },
      undefined,
      { now },
    );

    expect(decisions.map((d) => [d.snapshotId, d.keep, d.reasons])).toEqual([
      ['2026-12-04T02-00-00.000Z', true, ['last']],
      ['2026-12-03T09-00-00.000Z', true, ['safety snapshot of restore r-recent']],
      ['2026-11-20T09-00-00.000Z', false, []],
    ]);
  });
});
