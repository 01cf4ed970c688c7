/**
 * The disaster of issue 9: demo-source is backed up to S3 with its prompt audio and phone numbers,
 * then its whole emulator is closed. A fresh emulator holds a fresh demo-target, in another account
 * and Region, that has claimed numbers of its own. The snapshot alone (no client of the source is
 * given) rebuilds the contact center: every prompt's audio equals the source's bytes, every mapped
 * number rings the restored copy of the flow it rang, every kind is present and equal after
 * normalisation, and no id or ARN of the source remains in the target.
 */
import { paginateListFlowAssociations, paginateListPhoneNumbersV2 } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KindName, StoredDocument } from '#shared/kinds/index.js';
import type { RestoreReport } from '#shared/restore/report.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { claimPhoneNumber } from '../emulator/seeds/phone-numbers.js';
import type { SeedEnv } from '../emulator/seeds/support.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';
import {
  backupOf,
  CREATED_KINDS,
  CROSS_ACCOUNT_MAPPING,
  emulatorClient,
  instanceNamed,
  normalizedSnapshot,
  restoreEmulatorOptions,
  runRestore,
  snapshotDocuments,
  type TempFolder,
  tempFolderStore,
} from './support.js';

const PREFIX = 'vault';
const BUCKET = 'vault-disaster';
/** Every number demo-source has claimed → a number the fresh target has claimed. */
const PHONE_NUMBERS = {
  '+18005550142': '+442079460201',
  '+12065550177': '+442079460202',
  '+442079460155': '+442079460203',
  '+12065550199': '+442079460204',
};

let s3: S3rverHandle;
let folder: TempFolder;
let source: SeededInstance;
let target: SeededInstance;
let fresh: ConnectEmulator;
let report: RestoreReport;
let sourceDocuments: Record<KindName, StoredDocument[]>;
let sourceTexts: string[];
let targetAfter: Awaited<ReturnType<typeof snapshotDocuments>>;
/** Prompt name → the audio bytes demo-source held. */
const sourceAudio = new Map<string, Buffer>();
/** Source E.164 → the name of the flow it rang. */
const sourceRings = new Map<string, string>();

beforeAll(async () => {
  s3 = await startS3rver({ buckets: [BUCKET] });
  folder = await tempFolderStore();
  const store = new S3SnapshotStore({ client: s3.client(), bucket: BUCKET });
  const first = await startConnectEmulator(restoreEmulatorOptions({ seed: 'demo' }));
  source = instanceNamed(first, 'demo-source');
  const snapshotId = await backupOf(first, source, store, PREFIX);
  const live = first.world.instances.get(source.id);
  for (const prompt of live?.prompts.all() ?? [])
    sourceAudio.set(prompt.name, Buffer.from(prompt.audio.bytes));
  ({ documents: sourceDocuments, texts: sourceTexts } = await snapshotDocuments(
    store,
    PREFIX,
    source.id,
    snapshotId,
  ));
  for (const number of sourceDocuments['phone-numbers']) {
    const flowArn = number.related?.contactFlowArn;
    const flow = sourceDocuments.flows.find((f) => f.arn === flowArn);
    if (flow) sourceRings.set(number.name, flow.name);
  }
  // The disaster: the source instance and its account are gone.
  await first.close();

  fresh = await startConnectEmulator(
    restoreEmulatorOptions({
      seed: 'demo',
      promptFiles: {
        s3: { endpoint: s3.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
      },
    }),
  );
  target = instanceNamed(fresh, 'demo-target');
  const state = fresh.world.instances.get(target.id);
  if (!state) throw new Error('no demo-target');
  claimPhoneNumber({ world: fresh.world, accounts: {} } as SeedEnv, state, {
    number: '+442079460204',
    type: 'DID',
    country: 'GB',
  });
  report = await runRestore(
    {
      source: { bucket: BUCKET, prefix: PREFIX, instanceId: source.id, snapshot: snapshotId },
      target: { instanceId: target.id },
      mappings: { ...CROSS_ACCOUNT_MAPPING, phoneNumbers: PHONE_NUMBERS },
    },
    { source: store, targetConnect: emulatorClient(fresh, target).client },
  );
  fresh.propagation.settle();
  const after = await backupOf(fresh, target, folder.store, PREFIX);
  targetAfter = await snapshotDocuments(folder.store, PREFIX, target.id, after);
}, 180_000);

afterAll(async () => {
  await fresh?.close();
  await s3?.close();
  await folder?.remove();
});

describe('a contact center rebuilt from its snapshot alone', () => {
  it('restores without a blocked or failed entry', () => {
    expect(report.entries.filter((e) => e.blocked || e.outcome === 'failed')).toEqual([]);
    expect(report.unresolved).toEqual([]);
    expect(report.status).toBe('succeeded');
  });

  it("gives every prompt the source's audio, byte for byte", () => {
    const prompts = fresh.world.instances.get(target.id)?.prompts.all() ?? [];
    expect(sourceAudio.size).toBeGreaterThan(0);
    for (const [name, bytes] of sourceAudio) {
      const restored = prompts.find((p) => p.name === name);
      expect(restored ? Buffer.from(restored.audio.bytes).equals(bytes) : false, name).toBe(true);
    }
  });

  it('points every mapped number at the restored copy of the flow it rang', async () => {
    const client = emulatorClient(fresh, target).client;
    const numberOf = new Map<string, string>();
    for await (const page of paginateListPhoneNumbersV2({ client }, { TargetArn: target.arn }))
      for (const n of page.ListPhoneNumbersSummaryList ?? [])
        numberOf.set(n.PhoneNumberArn ?? '', n.PhoneNumber ?? '');
    const flows = fresh.world.instances.get(target.id)?.flows.all() ?? [];
    const rings = new Map<string, string>();
    for await (const page of paginateListFlowAssociations(
      { client },
      { InstanceId: target.id, ResourceType: 'VOICE_PHONE_NUMBER' },
    ))
      for (const a of page.FlowAssociationSummaryList ?? [])
        rings.set(numberOf.get(a.ResourceId ?? '') ?? '', flows.find((f) => f.arn === a.FlowId)?.name ?? '?');
    expect(sourceRings.size).toBeGreaterThan(0);
    const expected = new Map(
      [...sourceRings].map(([number, flow]) => [PHONE_NUMBERS[number as keyof typeof PHONE_NUMBERS], flow]),
    );
    expect(new Map([...rings].filter(([number]) => expected.has(number)))).toEqual(expected);
  });

  it('holds every kind, equal to the source once ids, ARNs and timestamps are normalised', () => {
    const a = normalizedSnapshot(sourceDocuments, source);
    const b = normalizedSnapshot(targetAfter.documents, target);
    for (const kind of CREATED_KINDS) {
      expect(targetAfter.documents[kind].length, kind).toBe(sourceDocuments[kind].length);
      expect(b[kind], kind).toEqual(a[kind]);
    }
  });

  it('keeps no id or ARN of the source anywhere in the target', () => {
    const sourceIds = new Set<string>([source.id, source.arn, source.accountId]);
    for (const kind of Object.keys(sourceDocuments) as KindName[])
      for (const d of sourceDocuments[kind]) {
        // A singleton (the hierarchy structure) has no Connect id: its id is its kind's name. Nor
        // has a predefined attribute: its id is made of its name, the same in every instance (its
        // arn, `<instance ARN>|<Name>`, still names the source instance and is checked).
        if (d.id !== kind && kind !== 'predefined-attributes') sourceIds.add(d.id);
        sourceIds.add(d.arn);
      }
    expect(sourceTexts.join('\n')).toContain(source.id);
    const targetText = targetAfter.texts.join('\n');
    expect([...sourceIds].filter((id) => targetText.includes(id))).toEqual([]);
  });
});
