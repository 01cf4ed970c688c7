/** Restore tests' helpers: the demo world, backups into a folder store, and snapshot normalisation. */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { KindName, StoredDocument } from '#shared/kinds/index.js';
import { KIND_NAMES } from '#shared/kinds/index.js';
import type { LoggerPort } from '#shared/ports.js';
import type { RestoreReport } from '#shared/restore/report.js';
import type { RestoreRequestInput } from '#shared/restore/request.js';
import { type RestorePorts, restoreSnapshot } from '#shared/restore/restore-snapshot.js';
import type { PropagationRetryOptions } from '#shared/restore/write-retry.js';
import { INSTANCE_KIND, type Manifest, manifestKey, snapshotObjectKey } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { emulatorClient, runBackup, type TempFolder, tempFolderStore } from '../backup/support.js';
import {
  type ConnectEmulator,
  type ConnectEmulatorOptions,
  type SeededInstance,
  startConnectEmulator,
} from '../emulator/index.js';
import type { SeedName } from '../emulator/seeds/index.js';

export {
  emulatorClient,
  runBackup,
  silentLogger,
  stopEmulatorAndFolder,
  type TempFolder,
  tempFolderStore,
} from '../backup/support.js';

/**
 * Every restore test runs against an eventually consistent emulator: for this long after a write,
 * Search does not show it and a resource just created is not found (tests/emulator/propagation.ts).
 * Restores must get through it; a test that writes and then reads (a second restore, a backup of the
 * result) calls `emulator.propagation.settle()` first, as a person would wait a minute.
 */
export const RESTORE_PROPAGATION_DELAY_MS = 200;

/** Short retries for the emulator's delay (a real account's defaults wait minutes). */
export const TEST_PROPAGATION_RETRY: Partial<PropagationRetryOptions> = {
  windowMs: 30_000,
  maxRetryTimeMs: 10_000,
  minDelayMs: 50,
  maxDelayMs: 200,
};

/** The emulator options of restore tests: no throttling, the propagation delay on. */
export function restoreEmulatorOptions(options: ConnectEmulatorOptions = {}): ConnectEmulatorOptions {
  return { throttle: { enabled: false }, propagationDelayMs: RESTORE_PROPAGATION_DELAY_MS, ...options };
}

/** Starts an emulator (restore options) with a seed, and a fresh folder store. */
export async function startEmulatorAndFolder(
  seed: SeedName,
  options: ConnectEmulatorOptions = {},
): Promise<{ emulator: ConnectEmulator; folder: TempFolder }> {
  const emulator = await startConnectEmulator(restoreEmulatorOptions({ seed, ...options }));
  const folder = await tempFolderStore().catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  return { emulator, folder };
}

/** A logger that keeps every call, to check what restore logs (and what it never logs). */
export function recordingLogger(): LoggerPort & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message, data) => lines.push(`info ${message} ${JSON.stringify(data)}`),
    warn: (message, data) => lines.push(`warn ${message} ${JSON.stringify(data)}`),
  };
}

export function instanceNamed(emulator: ConnectEmulator, alias: string): SeededInstance {
  const instance = emulator.instances.find((i) => i.alias === alias);
  if (!instance) throw new Error(`no instance ${alias}`);
  return instance;
}

/** The mapping of a demo-source → demo-target restore: the source account and Region rewritten. */
export const CROSS_ACCOUNT_MAPPING = {
  accounts: { '111122223333': '444455556666' },
  regions: { 'us-east-1': 'eu-west-2' },
};

/**
 * The kinds a restore into another instance creates, so that the target ends up equal to the
 * source: every kind but phone numbers, which are claimed, never created (a restore only points
 * numbers the target has claimed at the restored flows; tests/restore/phone-numbers.test.ts).
 */
export const CREATED_KINDS: readonly KindName[] = KIND_NAMES.filter((kind) => kind !== 'phone-numbers');

/** Runs the restore use case against the emulator with a folder store. */
export function runRestore(
  request: RestoreRequestInput,
  ports: Omit<RestorePorts, 'clock' | 'logger'> & Partial<Pick<RestorePorts, 'clock' | 'logger'>>,
): Promise<RestoreReport> {
  // Post-restore verification reads the whole target again: only the tests of it ask for it.
  return restoreSnapshot(
    { verify: false, ...request },
    {
      clock: { now: () => new Date() },
      logger: { info: () => {}, warn: () => {} },
      propagationRetry: TEST_PROPAGATION_RETRY,
      ...ports,
    },
  );
}

/** The prefix the restore tests back up under. */
export const PREFIX = 'vault';

/**
 * Restores demo-source's snapshot in `folder` (under `PREFIX`) into demo-target, reading demo-source
 * with a client of its own. `targetStats` hands the restore the target client's call counts (the
 * report's `apiCalls`); `reportToFolder` writes the report (and takes the lock and the safety
 * snapshot) in `folder`; `signal`, `progress`, `logger`, `announce` and `verifyRetry` go to the
 * restore as given.
 */
export function restoreIntoDemoTarget(
  emulator: ConnectEmulator,
  folder: TempFolder,
  request: Omit<RestoreRequestInput, 'source' | 'target'>,
  {
    targetStats,
    reportToFolder,
    ...ports
  }: { targetStats?: boolean; reportToFolder?: boolean } & Pick<
    RestorePorts,
    'signal' | 'progress' | 'announce' | 'verifyRetry' | 'concurrency'
  > &
    Partial<Pick<RestorePorts, 'logger'>> = {},
): Promise<RestoreReport> {
  const source = instanceNamed(emulator, 'demo-source');
  const target = instanceNamed(emulator, 'demo-target');
  const client = emulatorClient(emulator, target);
  return runRestore(
    {
      source: { folder: folder.root, prefix: PREFIX, instanceId: source.id },
      target: { instanceId: target.id },
      ...request,
    },
    {
      source: folder.store,
      targetConnect: client.client,
      ...(targetStats ? { targetStats: client.stats } : {}),
      // The report, the restore lock and the safety snapshot go to the folder too.
      ...(reportToFolder ? { reportStore: folder.store } : {}),
      sourceConnect: emulatorClient(emulator, source).client,
      ...ports,
    },
  );
}

/** The write operations a restore called (its report's `apiCalls` without reads), sorted. */
export function writeOperations(report: RestoreReport): string[] {
  return Object.keys(report.apiCalls)
    .filter((op) => !/^(Describe|List|Search|Get)/.test(op))
    .sort();
}

/**
 * Settles the emulator's propagation, then restores demo-source's snapshot into demo-target with
 * `CROSS_ACCOUNT_MAPPING` (overridable by `request`) and the target's call counts in the report.
 */
export function settledCrossAccountRestore(
  emulator: ConnectEmulator,
  folder: TempFolder,
  request: Omit<RestoreRequestInput, 'source' | 'target'> = {},
): Promise<RestoreReport> {
  emulator.propagation.settle();
  return restoreIntoDemoTarget(
    emulator,
    folder,
    { mappings: CROSS_ACCOUNT_MAPPING, ...request },
    { targetStats: true },
  );
}

/** Reads every stored document of a snapshot, by kind, plus `instance.json`. */
export async function snapshotDocuments(
  store: SnapshotStore,
  prefix: string,
  instanceId: string,
  snapshotId: string,
): Promise<{
  documents: Record<KindName, StoredDocument[]>;
  instance: Record<string, unknown>;
  texts: string[];
}> {
  const text = async (key: string) => new TextDecoder().decode((await store.get(key)) ?? new Uint8Array());
  const manifest = JSON.parse(await text(manifestKey(prefix, instanceId, snapshotId))) as Manifest;
  const documents = Object.fromEntries(KIND_NAMES.map((k) => [k, [] as StoredDocument[]])) as Record<
    KindName,
    StoredDocument[]
  >;
  let instance: Record<string, unknown> = {};
  const texts: string[] = [];
  for (const object of manifest.objects) {
    const body = await text(snapshotObjectKey(prefix, instanceId, snapshotId, object.key));
    texts.push(body);
    if (object.kind === INSTANCE_KIND) instance = JSON.parse(body) as Record<string, unknown>;
    else if ((KIND_NAMES as readonly string[]).includes(object.kind))
      documents[object.kind as KindName].push(JSON.parse(body) as StoredDocument);
  }
  return { documents, instance, texts };
}

const VOLATILE = new Set([
  'LastModifiedTime',
  'LastModifiedRegion',
  'FlowContentSha256',
  'FlowModuleContentSha256',
  'CreatedTime',
  // Rules' timestamp.
  'LastUpdatedTime',
]);

/**
 * A snapshot with everything that legitimately differs between instances taken out: ids and ARNs
 * become `<kind>:<name>`, ARNs of other services lose their Region and account, timestamps and
 * hashes go, flow content is parsed, and every list is sorted. Two instances with the same
 * configuration normalise to the same value, kind by kind and name by name.
 */
/**
 * The related data two instances can share. An evaluation form's `related` is version bookkeeping
 * (its List summary and a draft later than the active version): restore writes the active version
 * only, so the target's version numbers and drafts are its own.
 */
function comparedRelated(d: StoredDocument): Record<string, unknown> {
  return d.kind === 'evaluation-forms' ? {} : (d.related ?? {});
}

export function normalizedSnapshot(
  documents: Record<KindName, StoredDocument[]>,
  instance: { id: string; arn: string },
): Record<KindName, Record<string, unknown>> {
  const names = new Map<string, string>([
    [instance.id, 'instance'],
    [instance.arn, 'instance'],
  ]);
  for (const kind of KIND_NAMES) {
    for (const d of documents[kind]) {
      names.set(d.id, `${kind}:${d.name}`);
      names.set(d.arn, `${kind}:${d.name}`);
    }
  }
  const arnOrId =
    /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:[A-Za-z0-9/_.:$@+=*#-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const normalText = (text: string): string =>
    text.replace(arnOrId, (match) => {
      const named = names.get(match);
      if (named) return `<${named}>`;
      const qualified = /^(.*?)(:\$[A-Z]+)$/.exec(match);
      if (qualified?.[1] && names.has(qualified[1])) return `<${names.get(qualified[1])}>${qualified[2]}`;
      // Another service's ARN (or an instance resource not backed up): keep all but Region and account.
      return match
        .replace(/^(arn:aws[a-z-]*:[a-z0-9-]+):[a-z0-9-]*:(?:\d{12}|aws)?:/, '$1:<region>:<account>:')
        .split(instance.id)
        .join('<instance>');
    });
  const normal = (value: unknown, key = ''): unknown => {
    if (typeof value === 'string') {
      if ((key === 'Content' || key === 'savedContent') && value.startsWith('{')) {
        try {
          return normal(JSON.parse(value));
        } catch {
          return normalText(value);
        }
      }
      return normalText(value);
    }
    if (Array.isArray(value)) {
      return value
        .map((item) => normal(item))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([k]) => !VOLATILE.has(k))
          .map(([k, v]) => [k, normal(v, k)])
          .sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    }
    return value;
  };
  const out = {} as Record<KindName, Record<string, unknown>>;
  for (const kind of KIND_NAMES) {
    out[kind] = Object.fromEntries(
      documents[kind]
        .map((d) => [d.name, normal({ resource: d.resource, related: comparedRelated(d) })] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return out;
}

/** Backs up an instance with a fresh client and returns the snapshot id. */
export async function backupOf(
  emulator: ConnectEmulator,
  instance: SeededInstance,
  store: SnapshotStore,
  prefix: string,
): Promise<string> {
  const result = await runBackup(emulatorClient(emulator, instance), store, instance.id, { prefix });
  return result.snapshotId;
}

export type { ConnectClient };

/**
 * The start of a kind's restore test: the emulator's `demo` seed and a folder, demo-source backed
 * up into it, clients of demo-source and demo-target, and the snapshot's documents of `kind`.
 */
export async function demoKindFixture(kind: KindName): Promise<{
  emulator: ConnectEmulator;
  folder: TempFolder;
  source: ConnectClient;
  target: ConnectClient;
  documents: StoredDocument[];
}> {
  const { emulator, folder } = await startEmulatorAndFolder('demo');
  const from = instanceNamed(emulator, 'demo-source');
  const snapshotId = await backupOf(emulator, from, folder.store, PREFIX);
  const snapshot = await snapshotDocuments(folder.store, PREFIX, from.id, snapshotId);
  return {
    emulator,
    folder,
    source: emulatorClient(emulator, from).client,
    target: emulatorClient(emulator, instanceNamed(emulator, 'demo-target')).client,
    documents: snapshot.documents[kind],
  };
}
