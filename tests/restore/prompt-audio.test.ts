/**
 * Prompt audio on restore, the disaster case: demo-source is backed up to S3 (s3rver), its emulator
 * is closed, and the snapshot is restored into the demo-target of a fresh emulator that reads
 * `S3Uri`s from the same s3rver. Every prompt is created from the snapshot's own audio (its S3 URI
 * in the backup bucket), with no call to the source instance, and the flows that play them are
 * restored too. `mappings.promptAudio` still overrides; a snapshot in a local folder says that
 * CreatePrompt needs the audio in S3.
 */
import { UpdatePromptCommand } from '@aws-sdk/client-connect';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import type { RestoreReport } from '#shared/restore/report.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { wavBytes } from '../emulator/prompt-files.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';
import {
  backupOf,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  restoreEmulatorOptions,
  runRestore,
  type TempFolder,
  tempFolderStore,
} from './support.js';

const PREFIX = 'vault';
const BUCKET = 'vault-audio';
const CUSTOM_PROMPTS = ['Holiday Closure.wav', 'Welcome Greeting.wav'];

let s3: S3rverHandle;
let store: S3SnapshotStore;
let folder: TempFolder;
let source: SeededInstance;
/** A client of the source instance, whose emulator is closed before any restore. */
let unreachableSource: InstrumentedConnectClient;
/** Prompt name → the audio bytes demo-source held when it was backed up. */
const sourceAudio = new Map<string, Buffer>();
/** Names of the source flows whose content plays a prompt. */
let flowsPlayingPrompts: string[] = [];
const emulators: ConnectEmulator[] = [];

/** A fresh emulator (demo seed) whose CreatePrompt reads S3Uris from the s3rver holding the snapshot. */
async function freshEmulator(): Promise<ConnectEmulator> {
  const emulator = await startConnectEmulator(
    restoreEmulatorOptions({
      seed: 'demo',
      promptFiles: {
        s3: { endpoint: s3.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
      },
    }),
  );
  emulators.push(emulator);
  return emulator;
}

/** Restores the source snapshot from `snapshotStore` into a fresh demo-target. */
async function restoreIntoFresh(
  snapshotStore: S3SnapshotStore | TempFolder['store'],
  location: { bucket: string } | { folder: string },
  mappings: Record<string, unknown> = {},
): Promise<{ emulator: ConnectEmulator; target: SeededInstance; report: RestoreReport }> {
  const emulator = await freshEmulator();
  const target = instanceNamed(emulator, 'demo-target');
  const report = await runRestore(
    {
      source: { ...location, prefix: PREFIX, instanceId: source.id },
      target: { instanceId: target.id },
      mappings: { ...CROSS_ACCOUNT_MAPPING, ...mappings },
    },
    {
      source: snapshotStore,
      targetConnect: emulatorClient(emulator, target).client,
      sourceConnect: unreachableSource.client,
    },
  );
  return { emulator, target, report };
}

const audioOf = (emulator: ConnectEmulator, target: SeededInstance, name: string) => {
  const prompt = emulator.world.instances
    .get(target.id)
    ?.prompts.all()
    .find((p) => p.name === name);
  return prompt ? Buffer.from(prompt.audio.bytes) : undefined;
};

beforeAll(async () => {
  s3 = await startS3rver({ buckets: [BUCKET] });
  store = new S3SnapshotStore({ client: s3.client(), bucket: BUCKET });
  folder = await tempFolderStore();
  const first = await startConnectEmulator(restoreEmulatorOptions({ seed: 'demo' }));
  source = instanceNamed(first, 'demo-source');
  await backupOf(first, source, store, PREFIX);
  await backupOf(first, source, folder.store, PREFIX);
  const live = first.world.instances.get(source.id);
  for (const prompt of live?.prompts.all() ?? [])
    sourceAudio.set(prompt.name, Buffer.from(prompt.audio.bytes));
  const promptArns = (live?.prompts.all() ?? []).map((p) => p.arn);
  flowsPlayingPrompts = (live?.flows.all() ?? [])
    .filter((f) => promptArns.some((arn) => String(f.entity.Content ?? '').includes(arn)))
    .map((f) => f.name)
    .sort();
  unreachableSource = emulatorClient(first, source, 1);
  // The disaster: the source instance is gone.
  await first.close();
}, 90_000);

afterAll(async () => {
  for (const emulator of emulators) await emulator.close();
  await s3?.close();
  await folder?.remove();
});

describe('a restore from a snapshot in S3, the source instance unreachable', () => {
  let emulator: ConnectEmulator;
  let target: SeededInstance;
  let report: RestoreReport;

  beforeAll(async () => {
    ({ emulator, target, report } = await restoreIntoFresh(store, { bucket: BUCKET }));
  }, 90_000);

  it("creates every missing prompt from the snapshot's own audio, byte for byte, without calling the source", () => {
    const created = report.entries.filter((e) => e.kind === 'prompts' && e.action === 'create');

    expect(created.map((e) => [e.name, e.outcome]).sort()).toEqual(
      CUSTOM_PROMPTS.map((name) => [name, 'created']),
    );
    for (const name of sourceAudio.keys()) {
      const restored = audioOf(emulator, target, name);
      expect(restored?.equals(sourceAudio.get(name) ?? Buffer.alloc(0)), name).toBe(true);
    }
    const s3Uris = emulator.world.instances
      .get(target.id)
      ?.prompts.all()
      .filter((p) => CUSTOM_PROMPTS.includes(p.name))
      .map((p) => p.s3Uri);
    expect(s3Uris?.every((uri) => uri.startsWith(`s3://${BUCKET}/${PREFIX}/${source.id}/snapshots/`))).toBe(
      true,
    );
    expect(s3Uris?.every((uri) => /\/prompts-audio\/[^/]+\.wav$/.test(uri))).toBe(true);
    expect(unreachableSource.stats.calls).toEqual({});
  });

  it('restores the flows that play those prompts: nothing is blocked', () => {
    const flows = report.entries.filter((e) => e.kind === 'flows' && flowsPlayingPrompts.includes(e.name));

    expect(flowsPlayingPrompts.length).toBeGreaterThan(0);
    expect(flows.map((e) => e.name).sort()).toEqual(flowsPlayingPrompts);
    expect(flows.filter((e) => e.blocked || e.outcome === 'failed')).toEqual([]);
    expect(report.entries.filter((e) => e.blocked)).toEqual([]);
    expect(report.status).toBe('succeeded');
  });
});

describe('mappings.promptAudio', () => {
  it("overrides the snapshot's audio for the prompts it names", async () => {
    const replacement = Buffer.from(wavBytes('a new holiday message'));
    await s3
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'audio/holiday.wav', Body: replacement }));

    const { emulator, target, report } = await restoreIntoFresh(
      store,
      { bucket: BUCKET },
      { promptAudio: { 'Holiday Closure.wav': `s3://${BUCKET}/audio/holiday.wav` } },
    );

    expect(report.status).toBe('succeeded');
    expect(audioOf(emulator, target, 'Holiday Closure.wav')?.equals(replacement)).toBe(true);
    expect(
      audioOf(emulator, target, 'Welcome Greeting.wav')?.equals(
        sourceAudio.get('Welcome Greeting.wav') ?? Buffer.alloc(0),
      ),
    ).toBe(true);
    expect(unreachableSource.stats.calls).toEqual({});
  }, 90_000);
});

describe('a restore from a snapshot in a local folder, the source instance unreachable', () => {
  it('blocks the prompts to create, saying CreatePrompt needs the audio in S3, and the flows that play them', async () => {
    const { report } = await restoreIntoFresh(folder.store, { folder: folder.root });
    const prompts = report.entries.filter((e) => e.kind === 'prompts' && e.blocked);
    const reason = `its audio is in the snapshot, but the snapshot is not in S3 (${report.source.location}) and Connect reads prompt audio (CreatePrompt, UpdatePrompt S3Uri) only from S3: restore from the snapshot in the backup bucket, or give mappings.promptAudio for this prompt (an s3:// URI)`;

    expect(prompts.map((e) => [e.name, e.reason]).sort()).toEqual(
      CUSTOM_PROMPTS.map((name) => [name, reason]),
    );
    expect(report.status).toBe('blocked');
    const flows = report.entries.filter((e) => e.kind === 'flows' && flowsPlayingPrompts.includes(e.name));
    expect(flows.some((e) => e.blocked)).toBe(true);
    // It tried the source instance (for snapshots without S3 audio) and found it unreachable.
    expect(unreachableSource.stats.calls).toEqual({ DescribeInstance: 1 });
  }, 90_000);
});

describe('a point-in-time restore (mode overwrite) after a prompt audio was replaced', () => {
  const PIT = 'pit';

  it("puts the snapshot's audio back with UpdatePrompt S3Uri, and a second run changes nothing", async () => {
    const emulator = await freshEmulator();
    const live = instanceNamed(emulator, 'demo-source');
    const snapshotId = await backupOf(emulator, live, store, PIT);
    const state = emulator.world.instances.get(live.id);
    const prompt = state?.prompts.all().find((p) => p.name === 'Holiday Closure.wav');
    if (!prompt) throw new Error('no Holiday Closure.wav');
    const original = Buffer.from(prompt.audio.bytes);
    const uri = emulator.world.promptFiles.seed('s3://elsewhere/wrong.wav', wavBytes('the wrong message'));
    const client = emulatorClient(emulator, live);
    await client.client.send(
      new UpdatePromptCommand({ InstanceId: live.id, PromptId: prompt.id, S3Uri: uri }),
    );
    const request = {
      source: { bucket: BUCKET, prefix: PIT, instanceId: live.id },
      mode: 'overwrite' as const,
    };
    const ports = { source: store, targetConnect: client.client, sourceConnect: client.client };

    const report = await runRestore(request, ports);
    emulator.propagation.settle();
    const again = await runRestore(request, ports);

    const entry = report.entries.find((e) => e.kind === 'prompts' && e.name === 'Holiday Closure.wav');
    expect(entry).toMatchObject({ action: 'update', changes: ['Audio'], outcome: 'updated' });
    expect(report.entries.filter((e) => e.kind === 'prompts' && e.action !== 'unchanged')).toHaveLength(1);
    expect(Buffer.from(state?.prompts.require(prompt.id).audio.bytes ?? []).equals(original)).toBe(true);
    expect(state?.prompts.require(prompt.id).s3Uri).toMatch(
      new RegExp(
        `^s3://${BUCKET}/${PIT}/${live.id}/snapshots/${snapshotId}/prompts-audio/Holiday Closure\\.wav--[0-9a-f]{8}\\.wav$`,
      ),
    );
    expect(again.entries.filter((e) => e.kind === 'prompts').every((e) => e.action === 'unchanged')).toBe(
      true,
    );
  }, 90_000);

  it('blocks the audio update from a snapshot in a local folder, naming why', async () => {
    const emulator = await freshEmulator();
    const live = instanceNamed(emulator, 'demo-source');
    const local = await tempFolderStore();
    try {
      await backupOf(emulator, live, local.store, PIT);
      const prompt = emulator.world.instances
        .get(live.id)
        ?.prompts.all()
        .find((p) => p.name === 'Holiday Closure.wav');
      const uri = emulator.world.promptFiles.seed('s3://elsewhere/wrong.wav', wavBytes('the wrong message'));
      const client = emulatorClient(emulator, live);
      await client.client.send(
        new UpdatePromptCommand({ InstanceId: live.id, PromptId: prompt?.id, S3Uri: uri }),
      );

      const report = await runRestore(
        { source: { folder: local.root, prefix: PIT, instanceId: live.id }, mode: 'overwrite' },
        { source: local.store, targetConnect: client.client, sourceConnect: client.client },
      );

      const entry = report.entries.find((e) => e.kind === 'prompts' && e.name === 'Holiday Closure.wav');
      expect(entry).toMatchObject({ action: 'skip', blocked: true, changes: ['Audio'] });
      expect(entry?.reason).toBe(
        `the target's audio differs from the snapshot's; its audio is in the snapshot, but the snapshot is not in S3 (${report.source.location}) and Connect reads prompt audio (CreatePrompt, UpdatePrompt S3Uri) only from S3: restore from the snapshot in the backup bucket, or give mappings.promptAudio for this prompt (an s3:// URI)`,
      );
      expect(Buffer.from(prompt?.audio.bytes ?? []).equals(Buffer.from(wavBytes('the wrong message')))).toBe(
        true,
      );
    } finally {
      await local.remove();
    }
  }, 90_000);
});
