/**
 * Custom vocabularies through backup and restore, demo-source into demo-target (another account and
 * Region): restore creates the missing ones and waits, within a bound, until Connect has built them;
 * a build still running at the bound is a failed entry that the next run finishes without creating
 * again; a vocabulary that differs is reported, never deleted and re-created (none can be changed);
 * tags are brought back; every second run writes nothing.
 */
import {
  DescribeVocabularyCommand,
  SearchVocabulariesCommand,
  TagResourceCommand,
} from '@aws-sdk/client-connect';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restoreOf, type StoredDocument } from '#shared/kinds/index.js';
import { vocabularyWaitMs } from '#shared/kinds/vocabularies.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { DEMO_VOCABULARIES } from '../emulator/seeds/demo.js';
import type { InstanceState } from '../emulator/state.js';
import {
  backupOf,
  type ConnectClient,
  emulatorClient,
  instanceNamed,
  PREFIX,
  settledCrossAccountRestore,
  snapshotDocuments,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
  writeOperations,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let target: ConnectClient;
let documents: StoredDocument[];

const idOf = (alias: string) => instanceNamed(emulator, alias).id;
const targetState = (): InstanceState => {
  const found = emulator.world.instances.get(idOf('demo-target'));
  if (!found) throw new Error('no demo-target');
  return found;
};

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const snapshotId = await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, PREFIX);
  target = emulatorClient(emulator, instanceNamed(emulator, 'demo-target')).client;
  const snapshot = await snapshotDocuments(folder.store, PREFIX, idOf('demo-source'), snapshotId);
  documents = snapshot.documents.vocabularies;
}, 60_000);

afterAll(() => stopEmulatorAndFolder(emulator, folder));

afterEach(() => {
  delete process.env.CONNECT_VAULT_VOCABULARY_WAIT_SECONDS;
});

const restore = (request: Parameters<typeof settledCrossAccountRestore>[2] = {}) =>
  settledCrossAccountRestore(emulator, folder, request);

/** The target's vocabularies by name, as DescribeVocabulary answers them. */
async function vocabulariesOf() {
  const InstanceId = idOf('demo-target');
  const { VocabularySummaryList = [] } = await target.send(new SearchVocabulariesCommand({ InstanceId }));
  const out: Record<string, { State?: string; LanguageCode?: string; Content?: string; Tags?: unknown }> = {};
  for (const s of VocabularySummaryList) {
    const { Vocabulary } = await target.send(
      new DescribeVocabularyCommand({ InstanceId, VocabularyId: s.Id }),
    );
    out[s.Name ?? ''] = {
      State: Vocabulary?.State,
      LanguageCode: Vocabulary?.LanguageCode,
      Content: Vocabulary?.Content,
      Tags: Vocabulary?.Tags,
    };
  }
  return out;
}

const expected = (name: string) => {
  const seed = DEMO_VOCABULARIES.find((v) => v.VocabularyName === name);
  return {
    State: 'ACTIVE',
    LanguageCode: seed?.LanguageCode,
    Content: seed?.Content,
    Tags: 'Tags' in (seed ?? {}) ? (seed as { Tags: unknown }).Tags : {},
  };
};

describe('backing up vocabularies', () => {
  it('stores each vocabulary as DescribeVocabulary answers it, content and tags included', () => {
    const byName = Object.fromEntries(documents.map((d) => [d.name, d]));

    expect(Object.keys(byName).sort()).toEqual(['Billing-Terms', 'Product-Names']);
    expect(byName['Product-Names']?.resource).toMatchObject(expected('Product-Names'));
    expect(byName['Product-Names']?.arn).toContain(`instance/${idOf('demo-source')}/vocabulary/`);
  });
});

describe('restoring vocabularies', () => {
  it('creates the missing vocabularies and waits until Connect has built them', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.status).toBe('succeeded');
    expect(report.apiCalls.CreateVocabulary).toBe(2);
    const entries = report.entries.filter((e) => e.kind === 'vocabularies');
    expect(entries.map((e) => [e.name, e.action, e.outcome]).sort()).toEqual([
      ['Billing-Terms', 'create', 'created'],
      ['Product-Names', 'create', 'created'],
    ]);
    // Created CREATION_IN_PROGRESS; the restore polled until each was ACTIVE.
    expect(report.apiCalls.DescribeVocabulary).toBeGreaterThanOrEqual(2);
    const after = await vocabulariesOf();
    expect(after['Product-Names']).toEqual(expected('Product-Names'));
    expect(after['Billing-Terms']).toEqual(expected('Billing-Terms'));
  });

  it('writes nothing when run again', async () => {
    const report = await restore({ mode: 'overwrite' });

    expect(report.counts.create + report.counts.update).toBe(0);
    expect(writeOperations(report)).toEqual([]);
  });

  it('brings tags back, and reports a vocabulary whose content differs instead of deleting it', async () => {
    const products = targetState().vocabularies.findByName('Product-Names') ?? fail('Product-Names');
    const billing = targetState().vocabularies.findByName('Billing-Terms') ?? fail('Billing-Terms');
    await target.send(new TagResourceCommand({ resourceArn: products.arn, tags: { Extra: 'x' } }));
    // No API call changes a vocabulary's content: the target's differs as if made by hand.
    billing.entity.Content = 'Phrase\nSomethingElse\n';

    const report = await restore({ mode: 'overwrite' });
    const again = await restore({ mode: 'overwrite' });

    const entry = (name: string) => report.entries.find((e) => e.kind === 'vocabularies' && e.name === name);
    expect(entry('Product-Names')).toMatchObject({ action: 'update', changes: ['Tags'], outcome: 'updated' });
    expect(entry('Billing-Terms')).toMatchObject({ action: 'skip', blocked: true, changes: ['Content'] });
    expect(entry('Billing-Terms')?.reason).toContain('cannot be changed in Connect');
    expect(entry('Billing-Terms')?.reason).toContain('delete it in the target');
    expect(report.apiCalls.UntagResource).toBe(1);
    expect(report.apiCalls.CreateVocabulary).toBeUndefined();
    expect(report.apiCalls.DeleteVocabulary).toBeUndefined();
    expect((await vocabulariesOf())['Product-Names']).toEqual(expected('Product-Names'));
    expect(again.entries.filter((e) => e.kind === 'vocabularies' && e.action === 'update')).toEqual([]);
    // Put Billing-Terms back as the snapshot has it, for the next test.
    billing.entity.Content = expected('Billing-Terms').Content;
  });

  it('fails a vocabulary still building at the bound, saying what to do, and finishes it on the next run without creating it again', async () => {
    const billing = targetState().vocabularies.findByName('Billing-Terms') ?? fail('Billing-Terms');
    targetState().vocabularies.remove(billing);
    emulator.world.vocabularyBuildMs = 60_000;
    process.env.CONNECT_VAULT_VOCABULARY_WAIT_SECONDS = '0.3';

    const timedOut = await restore({ filters: { kinds: ['vocabularies'] } });
    const stillBuilding = await restore({ filters: { kinds: ['vocabularies'] } });
    const rebuilt = targetState().vocabularies.findByName('Billing-Terms') ?? fail('Billing-Terms');
    rebuilt.readyAt = new Date(Date.now() + 300);
    process.env.CONNECT_VAULT_VOCABULARY_WAIT_SECONDS = '10';
    const finished = await restore({ filters: { kinds: ['vocabularies'] } });
    emulator.world.vocabularyBuildMs = 100;

    const entry = (report: typeof timedOut) => report.entries.find((e) => e.name === 'Billing-Terms');
    expect(timedOut.status).toBe('failed');
    expect(timedOut.apiCalls.CreateVocabulary).toBe(1);
    expect(entry(timedOut)).toMatchObject({ action: 'create', outcome: 'failed' });
    expect(entry(timedOut)?.error).toContain('still CREATION_IN_PROGRESS');
    expect(entry(timedOut)?.error).toContain('Restore again later');
    // The next run (create-missing) finds it by name, still building, and waits again.
    expect(stillBuilding.apiCalls.CreateVocabulary).toBeUndefined();
    expect(entry(stillBuilding)).toMatchObject({ action: 'create', outcome: 'failed' });
    expect(finished.status).toBe('succeeded');
    expect(finished.apiCalls.CreateVocabulary).toBeUndefined();
    // Filled in (the engine's outcome for a target it completes): only waited for, nothing written.
    expect(entry(finished)).toMatchObject({ action: 'create', outcome: 'updated', changes: ['State'] });
    expect(writeOperations(finished)).toEqual([]);
    expect((await vocabulariesOf())['Billing-Terms']).toEqual(expected('Billing-Terms'));
  });
});

function fail(what: string): never {
  throw new Error(`no ${what}`);
}

describe('the bound on waiting for a vocabulary', () => {
  it('is CONNECT_VAULT_VOCABULARY_WAIT_SECONDS, 300 s by default, and refuses anything but a positive number', () => {
    expect(vocabularyWaitMs({})).toBe(300_000);
    expect(vocabularyWaitMs({ CONNECT_VAULT_VOCABULARY_WAIT_SECONDS: '2.5' })).toBe(2500);
    for (const bad of ['0', '-1', 'soon'])
      expect(() => vocabularyWaitMs({ CONNECT_VAULT_VOCABULARY_WAIT_SECONDS: bad })).toThrow(
        `must be a positive number of seconds, not "${bad}"`,
      );
  });
});

describe('a vocabulary the snapshot holds as failed', () => {
  it('is never created (it would fail again), saying why', () => {
    const failed: StoredDocument = {
      kind: 'vocabularies',
      id: 'v-1',
      arn: 'arn:aws:connect:us-east-1:111122223333:instance/i-1/vocabulary/v-1',
      name: 'Broken',
      resource: { Name: 'Broken', State: 'CREATION_FAILED', FailureReason: 'bad table', Content: 'x' },
    };
    const context = { promptAudioMissing: () => undefined, targetName: (d: StoredDocument) => d.name };

    expect(restoreOf('vocabularies').cannotCreate?.(failed, context)).toContain(
      'it had failed to build in the source (bad table)',
    );
    expect(
      restoreOf('vocabularies').cannotCreate?.(
        { ...failed, resource: { ...failed.resource, State: 'ACTIVE' } },
        context,
      ),
    ).toBeUndefined();
  });
});
