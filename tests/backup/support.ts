/** Running the backup use case against the emulator in tests, with a folder store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackupResult, backupInstance } from '#shared/backup/backup-instance.js';
import { createConnectClient, type InstrumentedConnectClient } from '#shared/connect/client.js';
import type { KindName } from '#shared/kinds/index.js';
import type { LoggerPort } from '#shared/ports.js';
import { FolderSnapshotStore } from '#shared/snapshot/folder-store.js';
import type { SnapshotStore } from '#shared/snapshot/store.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import type { SeedName } from '../emulator/seeds/index.js';

export const silentLogger: LoggerPort = { info: () => {}, warn: () => {} };

/** A client for the emulator: no client-side rate limit, and few attempts so failures surface fast. */
export function emulatorClient(
  emulator: ConnectEmulator,
  instance: SeededInstance,
  maxAttempts = 3,
): InstrumentedConnectClient {
  return createConnectClient({
    region: instance.region,
    endpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
    rateLimit: false,
    maxAttempts,
  });
}

/** A fresh folder store in a temporary directory. */
export async function tempFolderStore(): Promise<{
  store: FolderSnapshotStore;
  root: string;
  remove(): Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'connect-vault-test-'));
  return {
    store: new FolderSnapshotStore(root),
    root,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A folder store from `tempFolderStore`. */
export type TempFolder = Awaited<ReturnType<typeof tempFolderStore>>;

/** The emulator with `seed` and no throttling, and a fresh folder store: what most tests start from. */
export async function startEmulatorAndFolder(
  seed: SeedName,
): Promise<{ emulator: ConnectEmulator; folder: TempFolder }> {
  const emulator = await startConnectEmulator({ seed, throttle: { enabled: false } });
  const folder = await tempFolderStore().catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  return { emulator, folder };
}

/** Closes the emulator and removes the folder store; either is missing when `beforeAll` failed. */
export async function stopEmulatorAndFolder(
  emulator: ConnectEmulator | undefined,
  folder: TempFolder | undefined,
): Promise<void> {
  await emulator?.close();
  await folder?.remove();
}

/** Points the SDK's default credentials and Region, which the CLI reads, at the emulator. */
export function useEmulatorCredentials(emulator: ConnectEmulator): void {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: emulator.credentials().accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_REGION: 'us-east-1',
  });
}

/**
 * Backs up one instance with the use case (no Lambda), returning the result. The backup reads
 * every kind in full unless `full: false` (then it is incremental when a previous snapshot allows).
 */
export function runBackup(
  client: InstrumentedConnectClient,
  store: SnapshotStore,
  instanceId: string,
  options: { kinds?: KindName[]; prefix?: string; full?: boolean } = {},
): Promise<BackupResult> {
  return backupInstance(
    { instanceId, kinds: options.kinds, prefix: options.prefix ?? 'vault', full: options.full ?? true },
    {
      connect: client.client,
      connectStats: client.stats,
      store,
      clock: { now: () => new Date() },
      logger: silentLogger,
    },
  );
}
