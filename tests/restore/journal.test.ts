/**
 * The journal of a restore (issue 10 §2): a restore stopped half-way leaves resources it created but
 * did not finish (queues without their quick-connect links, flows still placeholders). Without the
 * journal, a re-run in mode create-missing skips them as "exists in the target and differs" and
 * still ends `succeeded`; with it, the re-run finishes them in any mode, and records them finished,
 * so a later create-missing leaves a change someone makes to them alone.
 */
import { UpdateQueueMaxContactsCommand } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import type { ConnectEmulator } from '../emulator/index.js';
import {
  backupOf,
  CREATED_KINDS,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  normalizedSnapshot,
  PREFIX,
  restoreIntoDemoTarget,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

const SKIPPED_AS_DIFFERENT = 'create-missing never changes existing resources';

let emulator: ConnectEmulator;
let folder: TempFolder;
let sourceSnapshot: string;
let stopped: RestoreReport;
let planWithout: RestoreReport;
let planWith: RestoreReport;
let resumed: RestoreReport;

/** A restore into demo-target in mode create-missing (the default); `journal` gives it the folder as report store. */
function restore(
  request: Omit<RestoreRequestInput, 'source' | 'target'>,
  options: {
    journal: boolean;
    signal?: AbortSignal;
    onApplied?: (kind: string) => void;
    concurrency?: number;
  },
) {
  return restoreIntoDemoTarget(
    emulator,
    folder,
    { mappings: CROSS_ACCOUNT_MAPPING, ...request },
    {
      reportToFolder: options.journal,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      progress: (event) => {
        if (event.type === 'applied') options.onApplied?.(event.kind);
      },
    },
  );
}

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  sourceSnapshot = await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  const deadline = new AbortController();
  // The deadline strikes as the first user is done (one write at a time, so that it strikes at a
  // known point): flows are placeholders, queues lack their quick-connect links.
  stopped = await restore(
    {},
    {
      journal: true,
      concurrency: 1,
      signal: deadline.signal,
      onApplied: (kind) => kind === 'users' && deadline.abort(),
    },
  );
  emulator.propagation.settle();
  planWithout = await restore({ dryRun: true }, { journal: false });
  planWith = await restore({ dryRun: true }, { journal: true });
  resumed = await restore({}, { journal: true });
  emulator.propagation.settle();
}, 120_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('a restore stopped half-way, run again in mode create-missing', () => {
  it('left resources it created unfinished', () => {
    expect(stopped.status).toBe('aborted');
    const halfDone = stopped.entries.filter((e) => e.outcome === 'failed' && e.targetId);
    expect(halfDone.map((e) => e.kind)).toContain('queues');
  });

  it('without the journal, skips them as different from the snapshot', () => {
    const halfQueues = stopped.entries
      .filter((e) => e.kind === 'queues' && e.outcome === 'failed')
      .map((e) => e.name);
    const skipped = planWithout.entries.filter(
      (e) => e.action === 'skip' && e.reason.includes(SKIPPED_AS_DIFFERENT),
    );
    expect(
      skipped
        .filter((e) => e.kind === 'queues')
        .map((e) => e.name)
        .sort(),
    ).toEqual(halfQueues.sort());
  });

  it('with the journal, plans to finish every one of them, naming the journal', () => {
    const half = new Set(
      stopped.entries.filter((e) => e.outcome === 'failed' && e.targetId).map((e) => e.targetId),
    );
    const finishing = planWith.entries.filter(
      (e) => e.action === 'update' && e.reason.includes('its journal'),
    );
    expect(finishing.length).toBeGreaterThan(0);
    for (const entry of finishing) expect(half.has(entry.targetId), entry.name).toBe(true);
    expect(
      planWith.entries.filter((e) => e.reason.includes(SKIPPED_AS_DIFFERENT) && half.has(e.targetId)),
    ).toEqual([]);
  });

  it('finishes the restore: succeeded, and the target equals the snapshot', async () => {
    expect(resumed.status).toBe('succeeded');
    const target = instanceNamed(emulator, 'demo-target');
    const source = instanceNamed(emulator, 'demo-source');
    const after = await snapshotDocuments(
      folder.store,
      PREFIX,
      target.id,
      await backupOf(emulator, target, folder.store, PREFIX),
    );
    const before = await snapshotDocuments(folder.store, PREFIX, source.id, sourceSnapshot);
    const a = normalizedSnapshot(before.documents, source);
    const b = normalizedSnapshot(after.documents, target);
    for (const kind of CREATED_KINDS) expect(b[kind], kind).toEqual(a[kind]);
  });

  it('records them finished: a later change to one is left alone by create-missing', async () => {
    const queue = resumed.entries.find((e) => e.kind === 'queues' && e.reason.includes('its journal'));
    if (!queue?.targetId) throw new Error('no finished queue');
    const target = instanceNamed(emulator, 'demo-target');
    await emulatorClient(emulator, target).client.send(
      new UpdateQueueMaxContactsCommand({ InstanceId: target.id, QueueId: queue.targetId, MaxContacts: 7 }),
    );
    emulator.propagation.settle();

    const again = await restore({ dryRun: true }, { journal: true });

    const entry = again.entries.find((e) => e.kind === 'queues' && e.targetId === queue.targetId);
    expect(entry?.action).toBe('skip');
    expect(entry?.reason).toContain(SKIPPED_AS_DIFFERENT);
  });
});
