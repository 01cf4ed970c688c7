/**
 * Predefined attributes and user proficiencies through restore, demo-source into demo-target
 * (another account and Region): a restore without the attribute Language leaves out the
 * proficiencies that name it and reports each; the full restore (overwrite: the users exist now)
 * then creates the attribute and associates them; overwrite brings changed values, levels and pairs back; and every second run
 * writes nothing.
 */
import {
  AssociateUserProficienciesCommand,
  type ConnectClient,
  DisassociateUserProficienciesCommand,
  UpdatePredefinedAttributeCommand,
  UpdateUserProficienciesCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_PREDEFINED_ATTRIBUTES, DEMO_PROFICIENCIES } from '../emulator/seeds/demo.js';
import type { InstanceState } from '../emulator/state.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  PREFIX,
  settledCrossAccountRestore,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
  writeOperations,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let target: ConnectClient;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  target = emulatorClient(emulator, instanceNamed(emulator, 'demo-target')).client;
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

function live(alias: string): InstanceState {
  const found = emulator.world.instances.get(instanceNamed(emulator, alias).id);
  if (!found) throw new Error(`no instance ${alias}`);
  return found;
}

/** Every user's proficiencies by username, sorted, in an instance's live state. */
function proficienciesOf(alias: string): Record<string, string[]> {
  return Object.fromEntries(
    live(alias)
      .users.all()
      .filter((u) => u.proficiencies?.length)
      .map((u) => [
        u.name,
        (u.proficiencies ?? []).map((p) => `${p.AttributeName}=${p.AttributeValue}@${p.Level}`).sort(),
      ]),
  );
}

function attributesOf(alias: string) {
  return [...live(alias).predefinedAttributes.values()].map(
    ({ LastModifiedTime: _t, LastModifiedRegion: _r, ...rest }) => rest,
  );
}

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

describe('restoring predefined attributes and user proficiencies', () => {
  it('leaves out, and reports, each proficiency whose attribute is neither selected nor in the target', async () => {
    const report = await restore({ filters: { names: ['!Language'] } });

    const dropped = report.unresolved.filter((u) => u.cause === 'link-dropped' && u.kind === 'users');
    const withLanguage = Object.entries(DEMO_PROFICIENCIES).flatMap(([user, list]) =>
      list.filter(([attribute]) => attribute === 'Language').map(() => user),
    );
    expect(dropped.map((u) => u.name).sort()).toEqual(withLanguage.sort());
    for (const u of dropped) {
      expect(u.path).toBe('Proficiencies');
      expect(u.reason).toContain('predefined attribute "Language"');
    }
    // Blocked: the report lists what it left out; nothing else was blocked or failed.
    expect(report.status).toBe('blocked');
    expect(report.unresolved.filter((u) => u.cause !== 'link-dropped')).toEqual([]);
    expect(report.entries.filter((e) => e.blocked || e.outcome === 'failed')).toEqual([]);
    expect(attributesOf('demo-target').map((a) => a.Name)).toEqual(['Certification']);
    expect(proficienciesOf('demo-target')).toEqual({
      'maya.patel': ['Certification=Billing Tier 2@4'],
      'siobhan.murphy': ['Certification=Technical Support@2'],
    });
  });

  it('then creates the attribute and associates the proficiencies left out (overwrite), equal to demo-source', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(report.unresolved).toEqual([]);
    expect(report.apiCalls.CreatePredefinedAttribute).toBe(1);
    // One per user, and retries while the new attribute propagates (apiCalls counts every attempt).
    expect(report.apiCalls.AssociateUserProficiencies).toBeGreaterThanOrEqual(3);
    expect(report.apiCalls).not.toHaveProperty('DisassociateUserProficiencies');
    expect(attributesOf('demo-target')).toEqual(
      expect.arrayContaining(attributesOf('demo-source').map((a) => expect.objectContaining(a))),
    );
    expect(
      attributesOf('demo-target')
        .map((a) => a.Name)
        .sort(),
    ).toEqual(DEMO_PREDEFINED_ATTRIBUTES.map((a) => a.name).sort());
    expect(proficienciesOf('demo-target')).toEqual(proficienciesOf('demo-source'));
    expect(Object.keys(proficienciesOf('demo-source')).sort()).toEqual(
      Object.keys(DEMO_PROFICIENCIES).sort(),
    );
  });

  it('writes nothing when run again', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it('brings changed values, levels and pairs back in overwrite mode, and then writes nothing', async () => {
    const targetId = instanceNamed(emulator, 'demo-target').id;
    const userId = (name: string) => live('demo-target').users.findByName(name)?.id ?? '';
    await target.send(
      new UpdatePredefinedAttributeCommand({
        InstanceId: targetId,
        Name: 'Language',
        Values: { StringList: ['English', 'Spanish', 'French', 'German'] },
        Purposes: [],
      }),
    );
    await target.send(
      new UpdateUserProficienciesCommand({
        InstanceId: targetId,
        UserId: userId('maya.patel'),
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'Spanish', Level: 1 }],
      }),
    );
    await target.send(
      new DisassociateUserProficienciesCommand({
        InstanceId: targetId,
        UserId: userId('maya.patel'),
        UserProficiencies: [{ AttributeName: 'Language', AttributeValue: 'English' }],
      }),
    );
    await target.send(
      new AssociateUserProficienciesCommand({
        InstanceId: targetId,
        UserId: userId('olivia.bennett'),
        UserProficiencies: [{ AttributeName: 'Certification', AttributeValue: 'Billing Tier 2', Level: 3 }],
      }),
    );
    expect(proficienciesOf('demo-target')).not.toEqual(proficienciesOf('demo-source'));

    const report = await restore({ mode: 'overwrite' });
    const again = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(
      report.entries
        .filter((e) => e.action === 'update')
        .map((e) => `${e.kind} ${e.name}`)
        .sort(),
    ).toEqual(['predefined-attributes Language', 'users maya.patel', 'users olivia.bennett']);
    expect(report.apiCalls.UpdatePredefinedAttribute).toBe(1);
    expect(report.apiCalls.UpdateUserProficiencies).toBe(1);
    expect(report.apiCalls.AssociateUserProficiencies).toBe(1);
    expect(report.apiCalls.DisassociateUserProficiencies).toBe(1);
    expect(attributesOf('demo-target').find((a) => a.Name === 'Language')).toEqual(
      attributesOf('demo-source').find((a) => a.Name === 'Language'),
    );
    expect(proficienciesOf('demo-target')).toEqual(proficienciesOf('demo-source'));
    expect(again.counts.create + again.counts.update).toBe(0);
    expect(writeOperations(again)).toEqual([]);
  });

  it('renames an attribute with a names mapping, and the proficiencies follow it', async () => {
    const report = await restore({
      mode: 'overwrite',
      mappings: { ...CROSS_ACCOUNT_MAPPING, names: { 'predefined-attributes': { Language: 'Sprache' } } },
    });

    const renamed = Object.fromEntries(
      Object.entries(proficienciesOf('demo-source')).map(([user, list]) => [
        user,
        list.map((p) => p.replace(/^Language=/, 'Sprache=')).sort(),
      ]),
    );
    expect(report.status).toBe('succeeded');
    expect(report.apiCalls.CreatePredefinedAttribute).toBe(1);
    expect(live('demo-target').predefinedAttributes.get('Sprache')?.Values).toEqual(
      live('demo-source').predefinedAttributes.get('Language')?.Values,
    );
    expect(proficienciesOf('demo-target')).toEqual(renamed);
  });
});
