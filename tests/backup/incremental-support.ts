/**
 * What the incremental-backup tests share: a backup with a controllable clock, reading a snapshot's
 * objects back as text, and running Connect operations straight against the emulator's state.
 */
import { type BackupResult, backupInstance } from '#shared/backup/backup-instance.js';
import type { InstrumentedConnectClient } from '#shared/connect/client.js';
import type { KindName } from '#shared/kinds/index.js';
import { CHANGES_KIND, type Manifest, manifestKey, snapshotObjectKey } from '#shared/snapshot/format.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { dispatch } from '../emulator/dispatcher.js';
import type { ConnectEmulator, SeededInstance } from '../emulator/index.js';
import { silentLogger } from './support.js';

export const PREFIX = 'vault';
export const DAY_MS = 24 * 3600 * 1000;

/** A clock the test moves: each reading is one second after the last, plus any jump. */
export class TestClock {
  #time: number;

  constructor(start = Date.parse('2026-03-01T02:00:00.000Z')) {
    this.#time = start;
  }

  now(): Date {
    this.#time += 1000;
    return new Date(this.#time);
  }

  advance(ms: number): void {
    this.#time += ms;
  }
}

/** Backs up with the use case: incremental unless `full`. */
export function backup(
  client: InstrumentedConnectClient,
  store: SnapshotStore,
  instanceId: string,
  clock: { now(): Date },
  options: { full?: boolean; kinds?: readonly KindName[]; report?: boolean } = {},
): Promise<BackupResult> {
  return backupInstance(
    {
      instanceId,
      prefix: PREFIX,
      full: options.full ?? false,
      ...(options.kinds ? { kinds: options.kinds } : {}),
      ...(options.report === false ? { report: false } : {}),
    },
    { connect: client.client, connectStats: client.stats, store, clock, logger: silentLogger },
  );
}

/** A snapshot's manifest. */
export async function manifestOf(
  store: SnapshotStore,
  instanceId: string,
  snapshotId: string,
  prefix = PREFIX,
): Promise<Manifest> {
  const bytes = await store.get(manifestKey(prefix, instanceId, snapshotId));
  if (!bytes) throw new Error(`no manifest for ${snapshotId}`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Manifest;
}

/**
 * Every object a snapshot's manifest lists, as key → stored text (binary objects as `base64:…`),
 * but `changes.json`: it names the snapshot and the one before it, so two snapshots of the same
 * state differ there by design (the change-log tests check it).
 */
export async function objectsOf(
  store: SnapshotStore,
  instanceId: string,
  snapshotId: string,
  prefix = PREFIX,
): Promise<Map<string, string>> {
  const manifest = await manifestOf(store, instanceId, snapshotId, prefix);
  const objects = new Map<string, string>();
  for (const entry of manifest.objects) {
    if (entry.kind === CHANGES_KIND) continue;
    const bytes = await store.get(snapshotObjectKey(prefix, instanceId, snapshotId, entry.key));
    // Binary objects (prompt audio, with a content type) as base64, documents as text.
    const text = (b: Uint8Array) =>
      entry.contentType ? `base64:${Buffer.from(b).toString('base64')}` : Buffer.from(b).toString('utf8');
    objects.set(entry.key, bytes ? text(bytes) : '(missing)');
  }
  return objects;
}

/** A manifest's objects but its `changes.json` (see {@link objectsOf}). */
export function resourceObjects(manifest: Manifest): Manifest['objects'] {
  return manifest.objects.filter((o) => o.kind !== CHANGES_KIND);
}

/** Runs one Connect operation on the instance, validated like a client's request (no HTTP). */
export function connectCall<T = Record<string, unknown>>(
  emulator: ConnectEmulator,
  instance: SeededInstance,
  operation: string,
  input: Record<string, unknown>,
): Promise<T> {
  return dispatch(emulator.world, instance.accountId, instance.region, operation, {
    InstanceId: instance.id,
    ...input,
  }) as Promise<T>;
}
