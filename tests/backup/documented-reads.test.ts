/**
 * Reads rest on documented behaviour (issue 8 §1). Flows and flow modules: Search is the index, each
 * document comes from DescribeContactFlow(Module) `<id>` and `<id>:$SAVED`. With each emulator quirk
 * that our reading of Search may get wrong switched on, a backup stores exactly what it stores
 * without it; where a read the backup relies on does not hold, the backup fails loudly, naming the
 * resource, and writes no manifest. Kinds read with Search alone say why and check, on every
 * entity, the members they rely on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackupFailedError } from '#shared/backup/backup-instance.js';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import { KINDS } from '#shared/kinds/index.js';
import { latestKey } from '#shared/snapshot/format.js';
import {
  type ConnectEmulator,
  type Quirk,
  type SeededInstance,
  startConnectEmulator,
} from '../emulator/index.js';
import { backup, connectCall, objectsOf, PREFIX, TestClock } from './incremental-support.js';
import { MemorySnapshotStore } from './memory-store.js';
import { emulatorClient } from './support.js';

let emulator: ConnectEmulator;
let instance: SeededInstance;
let client: InstrumentedConnectClient;
const clock = new TestClock();
/** The flows and modules of a backup without quirks: what every backup must store. */
let truth: Map<string, string>;

const flowObjects = (objects: Map<string, string>) =>
  new Map([...objects].filter(([key]) => /^(flows|flow-modules|flows-raw)\//.test(key)));

async function fullBackup(store = new MemorySnapshotStore()) {
  const result = await backup(client, store, instance.id, clock, { full: true });
  return { store, result, objects: flowObjects(await objectsOf(store, instance.id, result.snapshotId)) };
}

function useQuirks(...quirks: Quirk[]): void {
  emulator.world.quirks.clear();
  for (const quirk of quirks) emulator.world.quirks.add(quirk);
}

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  instance = emulator.instances.find((i) => i.alias === 'demo-source') ?? (undefined as never);
  client = emulatorClient(emulator, instance);
  truth = (await fullBackup()).objects;
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => useQuirks());

describe('flows and modules read with Describe', () => {
  it('store every flow and module with its content, and the drafts of published flows', () => {
    const live = emulator.world.instances.get(instance.id);
    const flows = live?.flows.all() ?? [];
    const documents = [...truth]
      .filter(([key]) => key.startsWith('flows/'))
      .map(
        ([, text]) =>
          JSON.parse(text) as { resource: { Content?: string }; related?: { savedContent?: string } },
      );
    expect(documents).toHaveLength(flows.length);
    expect(
      documents.every((d) => typeof d.resource.Content === 'string' && d.resource.Content.length > 0),
    ).toBe(true);
    const drafts = flows.filter((f) => f.savedDraft !== undefined);
    expect(drafts.length).toBeGreaterThan(0);
    expect(
      documents
        .filter((d) => d.related?.savedContent !== undefined)
        .map((d) => d.related?.savedContent)
        .sort(),
    ).toEqual(drafts.map((f) => f.savedDraft?.Content).sort());
    expect([...truth.keys()].filter((k) => k.startsWith('flow-modules/'))).toHaveLength(
      live?.flowModules.size ?? -1,
    );
  });

  it.each<Quirk[]>([
    ['search-omits-content'],
    ['search-omits-drafts'],
    ['search-omits-content', 'search-omits-drafts'],
  ])('store the same with the quirk %s', async (...quirks) => {
    useQuirks(...quirks);
    const { objects, result } = await fullBackup();
    expect(result.status).toBe('complete');
    expect(objects).toEqual(truth);
  });

  it('do not ask Search for drafts (no StatusCondition SAVED)', async () => {
    const seen: unknown[] = [];
    const name = 'recordFlowSearches';
    client.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName?.startsWith('SearchContactFlow'))
          seen.push((args.input as { SearchCriteria?: unknown }).SearchCriteria);
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      await fullBackup();
    } finally {
      client.client.middlewareStack.remove(name);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((criteria) => criteria === undefined)).toBe(true);
  });
});

describe('a backup that cannot read what it relies on fails loudly and writes no manifest', () => {
  async function expectFailure(pattern: RegExp) {
    const store = new MemorySnapshotStore();
    const failure = await backup(client, store, instance.id, clock, { full: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackupFailedError);
    expect((failure as Error).message).toMatch(pattern);
    expect([...store.objects.keys()].filter((k) => k.endsWith('manifest.json'))).toEqual([]);
    expect(store.objects.has(latestKey(PREFIX, instance.id))).toBe(false);
  }

  it('a Describe answer without Content', async () => {
    useQuirks('describe-omits-content');
    await expectFailure(
      /DescribeContactFlow(Module)? \S+ returned the flow( module)? "[^"]+" \(\S+\) without Content/,
    );
  });

  it('a flow Search lists that Describe does not find', async () => {
    useQuirks('search-lags-deletes');
    const flow =
      emulator.world.instances
        .get(instance.id)
        ?.flows.all()
        .find((f) => f.entity.Type === 'CUSTOMER_QUEUE') ?? expect.fail('no customer-queue flow');
    await connectCall(emulator, instance, 'DeleteContactFlow', { ContactFlowId: flow.id });
    await expectFailure(
      new RegExp(
        `Search and Describe disagree on what exists: Search lists the flow "${flow.name}" \\(${flow.id}\\)`,
      ),
    );
  });
});

describe('kinds read with Search alone', () => {
  it('say why in one line and name the members they rely on', () => {
    const searchOnly = KINDS.filter((k) => k.searchOnly).map((k) => k.name);
    expect(searchOnly.sort()).toEqual(
      [
        'agent-statuses',
        'hours-of-operation',
        'predefined-attributes',
        'prompts',
        'queues',
        'quick-connects',
        'user-hierarchy-groups',
      ].sort(),
    );
    for (const kind of KINDS) {
      if (!kind.searchOnly) continue;
      expect(kind.searchOnly.why).not.toMatch(/\n/);
      expect(kind.searchOnly.why).toMatch(/^Search\w+ returns/);
      expect(kind.searchOnly.requires.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['SearchHoursOfOperations', 'HoursOfOperations', 'TimeZone', 'hours of operation'],
    ['SearchQueues', 'Queues', 'HoursOfOperationId', 'queue'],
    ['SearchQuickConnects', 'QuickConnects', 'QuickConnectConfig', 'quick connect'],
  ])(
    'fail the backup when %s leaves out a member they rely on (%s without %s)',
    async (operation, list, member, label) => {
      const name = 'dropMember';
      client.client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          if (context.commandName === `${operation}Command`) {
            const items =
              (result.output as unknown as Record<string, Array<Record<string, unknown>> | undefined>)[
                list
              ] ?? [];
            for (const item of items) delete item[member];
          }
          return result;
        },
        { step: 'initialize', name },
      );
      try {
        const store = new MemorySnapshotStore();
        const failure = await backup(client, store, instance.id, clock, { full: true }).catch(
          (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(BackupFailedError);
        expect((failure as Error).message).toMatch(
          new RegExp(`${operation} returned the ${label} "[^"]+" \\(\\S+\\) without ${member}`),
        );
        expect([...store.objects.keys()].filter((k) => k.endsWith('manifest.json'))).toEqual([]);
      } finally {
        client.client.middlewareStack.remove(name);
      }
    },
  );
});
