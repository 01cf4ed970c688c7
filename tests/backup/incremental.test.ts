/**
 * Incremental backups against the demo instance: what they read, what they copy, and that every
 * snapshot they write is complete and byte-identical to a full backup of the same state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupResult } from '#shared/backup/backup-instance.js';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import { KIND_NAMES } from '#shared/kinds/index.js';
import { manifestKey, sha256Hex, snapshotObjectKey } from '#shared/snapshot/format.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { verifyProblems, verifySnapshot } from '#shared/snapshot/verify.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import type { InstanceState } from '../emulator/state.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';
import {
  backup,
  connectCall,
  manifestOf,
  objectsOf,
  PREFIX,
  resourceObjects,
  TestClock,
} from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';
import { emulatorClient } from './support.js';

/** The kinds that detect changes, in the registry's order. */
const INCREMENTAL = [
  'prompts',
  'security-profiles',
  'flows',
  'flow-modules',
  'queues',
  'routing-profiles',
  'users',
];
const READ_IN_FULL = KIND_NAMES.filter((k) => !INCREMENTAL.includes(k));

let emulator: ConnectEmulator;
let instance: SeededInstance;
let client: InstrumentedConnectClient;
let s3: S3rverHandle;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  instance = emulator.instances.find((i) => i.alias === 'demo-source') ?? (undefined as never);
  client = emulatorClient(emulator, instance);
  s3 = await startS3rver({ buckets: ['incremental-test'] });
});

afterAll(async () => {
  await emulator?.close();
  await s3?.close();
});

function state(): InstanceState {
  const found = emulator.world.instances.get(instance.id);
  if (!found) throw new Error('no demo-source');
  return found;
}

const call = (operation: string, input: Record<string, unknown>) =>
  connectCall(emulator, instance, operation, input);

describe('an incremental backup to S3', () => {
  let first: BackupResult;
  let incremental: BackupResult;
  let full: BackupResult;
  let store: S3SnapshotStore;

  beforeAll(async () => {
    store = new S3SnapshotStore({ client: s3.client(), bucket: 'incremental-test' });
    const clock = new TestClock();
    first = await backup(client, store, instance.id, clock);
    const [ana, bo] = state().users.all().slice(1, 3);
    if (!ana || !bo) throw new Error('demo has too few users');
    await call('UpdateUserIdentityInfo', {
      UserId: ana.id,
      IdentityInfo: { ...ana.entity.IdentityInfo, Email: 'ana.new@example.com' },
    });
    await call('TagResource', { resourceArn: bo.arn, tags: { shift: 'night' } });
    const profile = state().routingProfiles.all()[1];
    await call('TagResource', { resourceArn: profile?.arn, tags: { site: 'porto' } });
    emulator.resetStats();
    incremental = await backup(client, store, instance.id, clock);
    full = await backup(client, store, instance.id, clock, { full: true });
  }, 30_000);

  it('describes again only the changed users and routing profile, and copies the rest forward', async () => {
    const before = await manifestOf(store, instance.id, first.snapshotId);
    const users = before.counts.users ?? 0;
    const profiles = before.counts['routing-profiles'] ?? 0;
    const securityProfiles = before.counts['security-profiles'] ?? 0;
    const queues = before.counts.queues ?? 0;

    expect(first.kinds.read).toEqual([...KIND_NAMES]);
    expect(incremental.status).toBe('complete');
    expect(incremental.kinds).toEqual({
      read: READ_IN_FULL,
      carriedForward: INCREMENTAL,
      basedOn: first.snapshotId,
      byKind: Object.fromEntries(
        KIND_NAMES.map((kind) => {
          const changed = { users: 2, 'routing-profiles': 1 }[kind as string] ?? 0;
          const count = before.counts[kind] ?? 0;
          return INCREMENTAL.includes(kind)
            ? [
                kind,
                {
                  mode: 'incremental',
                  read: changed,
                  carriedForward: count - changed,
                  lastFullReadAt: before.startedAt,
                  basedOn: first.snapshotId,
                },
              ]
            : [
                kind,
                {
                  mode: 'full',
                  read: count,
                  carriedForward: 0,
                  lastFullReadAt: incremental.kinds.byKind?.[kind]?.lastFullReadAt,
                },
              ];
        }),
      ),
    });
    expect(incremental.kinds.byKind?.['quick-connects']?.lastFullReadAt).not.toBe(before.startedAt);
    // The change scan costs one List page and one Search page per kind, plus the association lists
    // (one per queue and one per routing profile), and one `:$SAVED` Describe per published flow
    // and module (no documented signal says a draft was saved); Describe only what moved.
    const live = emulator.world.instances.get(instance.id);
    const published = (items: Array<{ entity: { Status?: string } }> = []) =>
      items.filter((r) => r.entity.Status === 'PUBLISHED').length;
    const {
      DescribeSecurityProfile: _profiles,
      ListSecurityProfilePermissions: _permissions,
      GetPromptFile: _audio,
      ListSecurityProfileApplications: _applications,
      ListSecurityProfileFlowModules: _modules,
      ...scans
    } = first.apiCalls;
    expect(incremental.apiCalls).toEqual({
      ...scans,
      ListUsers: 1,
      SearchUsers: 1,
      DescribeUser: 2,
      ListRoutingProfiles: 1,
      SearchRoutingProfiles: 1,
      DescribeRoutingProfile: 1,
      ListRoutingProfileQueues: profiles,
      // Only where SearchRoutingProfiles counts manual-assignment queues (Support Agents, which is
      // also the profile that changed: its Describe reuses that list).
      ListRoutingProfileManualAssignmentQueues: live?.routingProfiles
        .all()
        .filter((r) => r.manualAssignmentQueueConfigs?.length).length,
      ListQueueQuickConnects: queues,
      ListSecurityProfiles: 1,
      SearchSecurityProfiles: 1,
      SearchQueues: 1,
      DescribeContactFlow: published(live?.flows.all()),
      DescribeContactFlowModule: published(live?.flowModules.all()),
    });
    expect(first.apiCalls).toMatchObject({
      GetPromptFile: before.counts.prompts,
      DescribeUser: users,
      DescribeRoutingProfile: profiles,
      DescribeSecurityProfile: securityProfiles,
      ListSecurityProfilePermissions: securityProfiles,
      ListSecurityProfileApplications: securityProfiles,
      ListSecurityProfileFlowModules: securityProfiles,
      ListQueueQuickConnects: queues,
    });
  });

  it('writes objects byte-identical to a full backup of the same state, and a manifest that verifies', async () => {
    const incrementalObjects = await objectsOf(store, instance.id, incremental.snapshotId);
    const fullObjects = await objectsOf(store, instance.id, full.snapshotId);
    const firstObjects = await objectsOf(store, instance.id, first.snapshotId);
    const report = await verifySnapshot(store, PREFIX, instance.id, incremental.snapshotId);

    expect(incrementalObjects).toEqual(fullObjects);
    expect(incrementalObjects).not.toEqual(firstObjects);
    expect(report).toMatchObject({ ok: true, missing: [], mismatched: [], unexpected: [] });
    // objectsOf leaves out changes.json, which the manifest lists too.
    expect(report.checked).toBe(incrementalObjects.size + 1);
    const manifests = [incremental, full].map((r) => manifestOf(store, instance.id, r.snapshotId));
    const [a, b] = await Promise.all(manifests);
    expect(a && resourceObjects(a)).toEqual(b && resourceObjects(b));
  });

  it("copies every unchanged prompt's audio forward without GetPromptFile: same keys, SHA-256, sizes and bytes", async () => {
    const before = await manifestOf(store, instance.id, first.snapshotId);
    const after = await manifestOf(store, instance.id, incremental.snapshotId);
    const audio = (m: typeof before) => m.objects.filter((o) => o.kind === 'prompts-audio');
    const bytesOf = async (snapshotId: string, key: string) =>
      Buffer.from((await store.get(snapshotObjectKey(PREFIX, instance.id, snapshotId, key))) ?? []);

    expect(audio(before)).toHaveLength(before.counts.prompts ?? -1);
    expect(audio(after)).toEqual(audio(before));
    expect(incremental.apiCalls.GetPromptFile).toBeUndefined();
    for (const entry of audio(after)) {
      const copied = await bytesOf(incremental.snapshotId, entry.key);
      expect(copied.equals(await bytesOf(first.snapshotId, entry.key)), entry.key).toBe(true);
      expect(copied.byteLength).toBe(entry.bytes);
    }
  });

  it('reads every kind in full when asked', () => {
    expect(full.kinds.read).toEqual([...KIND_NAMES]);
    expect(full.kinds.carriedForward).toEqual([]);
    expect(full.kinds.basedOn).toBeUndefined();
    expect(full.apiCalls).toEqual(first.apiCalls);
  });

  it('records a change signal for every resource of the kinds that detect changes, and only for them', async () => {
    const manifest = await manifestOf(store, instance.id, incremental.snapshotId);
    const withSignal = new Set(manifest.objects.filter((o) => o.signal !== undefined).map((o) => o.kind));
    const signalled = manifest.objects.filter((o) => INCREMENTAL.includes(o.kind));

    expect([...withSignal].sort()).toEqual([...INCREMENTAL].sort());
    expect(signalled.every((o) => typeof o.signal === 'string' && o.signal.length > 10)).toBe(true);
  });
});

describe('an incremental backup whose previous snapshot is damaged', () => {
  it('reads again a resource whose previous object no longer matches its SHA-256, and warns', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    const manifest = await manifestOf(store, instance.id, first.snapshotId);
    const victim = manifest.objects.find((o) => o.kind === 'users');
    if (!victim) throw new Error('no user object');
    const key = snapshotObjectKey(PREFIX, instance.id, first.snapshotId, victim.key);
    const original = Buffer.from((await store.get(key)) ?? []).toString('utf8');
    await store.put(
      key,
      original.replace(/"Username": "[^"]*"/, '"Username": "tampered"'),
      'application/json',
    );

    const next = await backup(client, store, instance.id, clock);

    const copy = await store.get(snapshotObjectKey(PREFIX, instance.id, next.snapshotId, victim.key));
    expect(Buffer.from(copy ?? []).toString('utf8')).toBe(original);
    expect(next.apiCalls.DescribeUser).toBe(1);
    expect(next.warnings).toEqual([
      `users: 1 resource(s) could not be carried forward from snapshot ${first.snapshotId} (an object is missing or no longer matches its manifest); read again from Connect`,
    ]);
    expect(next.kinds.byKind?.users).toEqual({
      mode: 'incremental',
      read: 1,
      carriedForward: (manifest.counts.users ?? 0) - 1,
      lastFullReadAt: manifest.startedAt,
      basedOn: first.snapshotId,
    });
    expect((await verifySnapshot(store, PREFIX, instance.id, next.snapshotId)).ok).toBe(true);
  });

  it('fails verification of a snapshot whose prompt audio was changed, naming the object', async () => {
    const store = new MemorySnapshotStore();
    const first = await backup(client, store, instance.id, new TestClock());
    const manifest = await manifestOf(store, instance.id, first.snapshotId);
    const victim = manifest.objects.find((o) => o.kind === 'prompts-audio');
    if (!victim) throw new Error('no prompt audio');
    const key = snapshotObjectKey(PREFIX, instance.id, first.snapshotId, victim.key);
    const original = Buffer.from((await store.get(key)) ?? []);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
    await store.put(key, tampered, 'audio/wav');

    const report = await verifySnapshot(store, PREFIX, instance.id, first.snapshotId);

    expect(report.ok).toBe(false);
    expect(report.mismatched).toEqual([
      {
        key: victim.key,
        expectedSha256: victim.sha256,
        actualSha256: sha256Hex(tampered),
        expectedBytes: victim.bytes,
        actualBytes: original.byteLength,
      },
    ]);
    expect(verifyProblems(report)).toEqual([
      `Snapshot object ${victim.key} no longer matches the manifest (SHA-256 ${sha256Hex(tampered)}, expected ${victim.sha256})`,
    ]);
  });

  it("downloads again a prompt's audio whose previous copy no longer matches its SHA-256, and warns", async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    const manifest = await manifestOf(store, instance.id, first.snapshotId);
    const victim = manifest.objects.find((o) => o.kind === 'prompts-audio');
    if (!victim) throw new Error('no prompt audio');
    const key = snapshotObjectKey(PREFIX, instance.id, first.snapshotId, victim.key);
    const original = Buffer.from((await store.get(key)) ?? []);
    await store.put(key, Buffer.concat([original, Buffer.from([0])]), 'audio/wav');

    const next = await backup(client, store, instance.id, clock);

    const copy = await store.get(snapshotObjectKey(PREFIX, instance.id, next.snapshotId, victim.key));
    expect(Buffer.from(copy ?? []).equals(original)).toBe(true);
    expect(next.apiCalls.GetPromptFile).toBe(1);
    expect(next.warnings).toEqual([
      `prompts: 1 resource(s) could not be carried forward from snapshot ${first.snapshotId} (an object is missing or no longer matches its manifest); read again from Connect`,
    ]);
    expect((await verifySnapshot(store, PREFIX, instance.id, next.snapshotId)).ok).toBe(true);
  });

  it('reads again a resource whose previous object is gone, warns, and still commits the snapshot', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    const manifest = await manifestOf(store, instance.id, first.snapshotId);
    const victim = manifest.objects.find((o) => o.kind === 'users');
    if (!victim) throw new Error('no user object');
    const key = snapshotObjectKey(PREFIX, instance.id, first.snapshotId, victim.key);
    const original = Buffer.from((await store.get(key)) ?? []).toString('utf8');
    store.objects.delete(key);

    const next = await backup(client, store, instance.id, clock);

    expect(next.status).toBe('complete');
    const copy = await store.get(snapshotObjectKey(PREFIX, instance.id, next.snapshotId, victim.key));
    expect(Buffer.from(copy ?? []).toString('utf8')).toBe(original);
    expect(next.apiCalls.DescribeUser).toBe(1);
    expect(next.warnings).toEqual([
      `users: 1 resource(s) could not be carried forward from snapshot ${first.snapshotId} (an object is missing or no longer matches its manifest); read again from Connect`,
    ]);
    expect((await verifySnapshot(store, PREFIX, instance.id, next.snapshotId)).ok).toBe(true);
  });

  it('reads every kind in full, with a warning, when the previous manifest cannot be read', async () => {
    const store = new MemorySnapshotStore();
    const clock = new TestClock();
    const first = await backup(client, store, instance.id, clock);
    await store.put(
      manifestKey(PREFIX, instance.id, first.snapshotId),
      '{"formatVersion": 1}',
      'application/json',
    );

    const next = await backup(client, store, instance.id, clock);

    expect(next.status).toBe('complete');
    expect(next.kinds.read).toEqual([...KIND_NAMES]);
    expect(next.kinds.carriedForward).toEqual([]);
    expect(next.warnings).toHaveLength(2);
    expect(String(next.warnings[0])).toMatch(
      /^previous snapshot not used, every kind is read in full: manifest .* does not match format version 1/,
    );
    // The same manifest is what changes.json compares with: it says why it lists nothing.
    expect(String(next.warnings[1])).toMatch(
      new RegExp(
        `^changes.json lists no change: snapshot ${first.snapshotId} cannot be compared: manifest .* does not match`,
      ),
    );
    expect(next.changedResources).toBeUndefined();
  });
});
