/**
 * One restore per target at a time: the lock object in the snapshot store (taken before anything is
 * read, released as expired at the end, taken over once a dead holder's lock expires), and the
 * `Restore Started` / `Restore Finished` announcements around the writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggerPort } from '#shared/ports.js';
import type { RestoreAnnouncement } from '#shared/restore/restore-snapshot.js';
import { restoreLockKey } from '#shared/snapshot/format.js';
import { ObjectLease } from '#shared/snapshot/object-lease.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import { rejectionOf } from '../support/errors.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  instanceNamed,
  PREFIX,
  recordingLogger,
  restoreIntoDemoTarget,
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

const source = () => instanceNamed(emulator, 'demo-source');
const target = () => instanceNamed(emulator, 'demo-target');
const lockKey = () => restoreLockKey(PREFIX, target().id);
const ports = { info: () => {}, warn: () => {} };

/** A restore of demo-source's latest snapshot into demo-target, reporting into the folder. */
function restore(options: { dryRun?: boolean; announced?: RestoreAnnouncement[]; logger?: LoggerPort } = {}) {
  return restoreIntoDemoTarget(
    emulator,
    folder,
    { mappings: CROSS_ACCOUNT_MAPPING, ...(options.dryRun ? { dryRun: true } : {}) },
    {
      targetStats: true,
      reportToFolder: true,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.announced ? { announce: async (event) => void options.announced?.push(event) } : {}),
    },
  );
}

async function lockRecord(): Promise<Record<string, unknown>> {
  const bytes = await folder.store.get(lockKey());
  return JSON.parse(Buffer.from(bytes ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
}

describe('the restore lock', () => {
  it('refuses a second restore into a target another one is writing into, naming it, before any call', async () => {
    const first = await ObjectLease.take(
      { store: folder.store, clock: { now: () => new Date() }, logger: ports },
      lockKey(),
      {
        targetInstanceId: target().id,
        sourceInstanceId: source().id,
        snapshot: 'latest',
        mode: 'overwrite',
        startedAt: '2026-12-04T10:00:00.000Z',
      },
      { ttlMs: 60_000, renewMs: 15_000, safetyMs: 20_000 },
    );
    emulator.resetStats();
    try {
      const error = await rejectionOf(restore());
      const callsWhenRefused = emulator.stats().totals.calls;
      const plan = await restore({ dryRun: true });

      expect(error.name).toBe('RestoreLockedError');
      expect(error.message).toContain(
        `Another restore is writing into instance ${target().id}: started 2026-12-04T10:00:00.000Z`,
      );
      expect(error.message).toContain('mode overwrite');
      // The dry run plans anyway: it writes nothing, so it takes no lock.
      expect(plan.status).toBe('planned');
      expect(callsWhenRefused).toBe(0);
      expect(emulator.stats().totals.calls).toBeGreaterThan(0);
      expect(Object.keys(emulator.stats().operations).filter(isMutating)).toEqual([]);
    } finally {
      await first.lease?.release({ expire: true });
    }
  });

  it('lets the next restore in once the first released it, announcing Started before the writes and Finished after the report', async () => {
    const announced: RestoreAnnouncement[] = [];

    const report = await restore({ announced });

    expect(report.status).toBe('succeeded');
    expect(announced.map((a) => a.type)).toEqual(['Restore Started', 'Restore Finished']);
    expect(announced[0]?.detail).toMatchObject({
      restoreId: report.restoreId,
      targetInstanceId: target().id,
      sourceInstanceId: source().id,
      mode: 'create-missing',
    });
    expect(announced[0]?.detail.planned.create).toBeGreaterThan(0);
    expect(announced[1]?.detail).toMatchObject({
      status: 'succeeded',
      reportLocation: report.reportLocation,
    });
    const lock = await lockRecord();
    expect(lock.released).toBe(true);
    expect(Date.parse(String(lock.expiresAt))).toBeLessThanOrEqual(Date.now());
  }, 120_000);

  it('takes over the lock of a restore that died (expired, not released), saying so', async () => {
    const current = await folder.store.getTagged(lockKey());
    const dead = JSON.stringify({
      leaseVersion: 1,
      holder: 'dead',
      expiresAt: '2026-12-04T09:00:00.000Z',
      startedAt: '2026-12-04T08:59:00.000Z',
    });
    expect(await folder.store.putIfMatch(lockKey(), dead, 'application/json', current?.tag ?? '')).toBe(true);
    const logger = recordingLogger();

    const report = await restore({ logger });

    expect(report.status).toBe('succeeded');
    expect(logger.lines.some((l) => l.includes('expired lease taken over'))).toBe(true);
  }, 120_000);
});
