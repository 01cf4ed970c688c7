/**
 * Instance settings in a restore of demo-source into demo-target: the attributes and approved
 * origins are planned and shown in the dry run, written in their modes, and the attributes that
 * cannot be set are skipped with the reason; a filtered restore leaves them alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreReport } from '#shared/restore/report.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_APPROVED_ORIGINS } from '../emulator/seeds/demo.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  instanceNamed,
  PREFIX,
  restoreIntoDemoTarget,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let dryRun: RestoreReport;
let applied: RestoreReport;
let filtered: RestoreReport;
let targetAttributesAfterDryRun: Map<string, string>;
let targetOriginsAfterDryRun: string[];

const live = (alias: string) => {
  const found = emulator.world.instances.get(instanceNamed(emulator, alias).id);
  if (!found) throw new Error(`no ${alias}`);
  return found;
};
const settings = (report: RestoreReport) =>
  report.entries
    .filter((e) => e.kind === 'instance-attribute' || e.kind === 'approved-origin')
    .filter((e) => e.action !== 'unchanged')
    .map((e) => ({ kind: e.kind, name: e.name, action: e.action, blocked: e.blocked ?? false }));

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  // demo-source uses custom TTS voices (its account is allowlisted); demo-target's is not, and does
  // not list MESSAGE_STREAMING (an attribute its Region lacks).
  live('demo-source').attributes.set('USE_CUSTOM_TTS_VOICES', 'true');
  live('demo-target').attributes.delete('MESSAGE_STREAMING');
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  const request = { mode: 'overwrite' as const, mappings: CROSS_ACCOUNT_MAPPING };
  filtered = await restoreIntoDemoTarget(emulator, folder, { ...request, filters: { kinds: ['queues'] } });
  dryRun = await restoreIntoDemoTarget(emulator, folder, { ...request, dryRun: true });
  targetAttributesAfterDryRun = new Map(live('demo-target').attributes);
  targetOriginsAfterDryRun = [...live('demo-target').approvedOrigins];
  applied = await restoreIntoDemoTarget(emulator, folder, request, { targetStats: true });
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

/** The settings that differ, attributes in the snapshot's (sorted) order, then the origins. */
const EXPECTED = [
  { kind: 'instance-attribute', name: 'CONTACTFLOW_LOGS', action: 'update', blocked: false },
  { kind: 'instance-attribute', name: 'MESSAGE_STREAMING', action: 'skip', blocked: true },
  { kind: 'instance-attribute', name: 'MULTI_PARTY_CONFERENCE', action: 'update', blocked: false },
  { kind: 'instance-attribute', name: 'USE_CUSTOM_TTS_VOICES', action: 'skip', blocked: true },
  ...DEMO_APPROVED_ORIGINS.map((name) => ({
    kind: 'approved-origin',
    name,
    action: 'create',
    blocked: false,
  })),
];

describe('instance settings in a restore', () => {
  it('are planned and shown in the dry run, which writes none of them', () => {
    expect(settings(dryRun)).toEqual(EXPECTED);
    expect(dryRun.entries.find((e) => e.name === 'CONTACTFLOW_LOGS')?.reason).toBe(
      'is false in the target, true in the snapshot',
    );
    expect(targetAttributesAfterDryRun.get('CONTACTFLOW_LOGS')).toBe('false');
    expect(targetOriginsAfterDryRun).toEqual([]);
  });

  it('skip, with the reason, the attributes that cannot be set', () => {
    const reason = (name: string) => applied.entries.find((e) => e.name === name)?.reason;

    expect(reason('USE_CUSTOM_TTS_VOICES')).toContain('allowlisted');
    expect(reason('MESSAGE_STREAMING')).toBe(
      'the target instance does not list MESSAGE_STREAMING (ListInstanceAttributes): it cannot be set there',
    );
    expect(applied.status).toBe('blocked');
    expect(live('demo-target').attributes.get('USE_CUSTOM_TTS_VOICES')).toBe('false');
    expect(live('demo-target').attributes.has('MESSAGE_STREAMING')).toBe(false);
  });

  it('write the others: UpdateInstanceAttribute per attribute that differs, AssociateApprovedOrigin per origin', () => {
    expect(settings(applied)).toEqual(EXPECTED);
    expect(
      applied.entries
        .filter((e) => e.kind === 'instance-attribute' || e.kind === 'approved-origin')
        .filter((e) => e.action === 'create' || e.action === 'update')
        .map((e) => e.outcome),
    ).toEqual(['updated', 'updated', 'created', 'created']);
    expect(applied.apiCalls.UpdateInstanceAttribute).toBe(2);
    expect(applied.apiCalls.AssociateApprovedOrigin).toBe(DEMO_APPROVED_ORIGINS.length);
    expect(live('demo-target').attributes.get('CONTACTFLOW_LOGS')).toBe('true');
    expect(live('demo-target').approvedOrigins).toEqual(DEMO_APPROVED_ORIGINS);
  });

  it('are left alone by a restore filtered by kind', () => {
    expect(settings(filtered)).toEqual([]);
    expect(filtered.entries.filter((e) => e.kind === 'instance-attribute')).toEqual([]);
  });
});
