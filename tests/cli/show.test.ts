/**
 * `connect-vault show`: what a snapshot holds, per kind, by name, without reading JSON files; its
 * numbers are the manifest's, and bad input exits 2 having written nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KIND_NAMES } from '#shared/kinds/index.js';
import type { Manifest } from '#shared/snapshot/format.js';
import { readVerifiedManifest } from '#shared/snapshot/verify.js';
import type { ConnectEmulator } from '../emulator/index.js';
import {
  backupOf,
  instanceNamed,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from '../restore/support.js';
import { runCli } from '../support/cli.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let sourceId: string;
let snapshotId: string;
let manifest: Manifest;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  const source = instanceNamed(emulator, 'demo-source');
  sourceId = source.id;
  snapshotId = await backupOf(emulator, source, folder.store, '');
  manifest = await readVerifiedManifest(folder.store, '', sourceId, snapshotId);
});

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const show = (...args: string[]) => runCli('show', ...args, '--from', folder.root, '--instance-id', sourceId);

describe('connect-vault show', () => {
  it('lists every kind with the manifest counts, and each resource by name', async () => {
    const result = await show();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`snapshot ${snapshotId} of demo-source (${sourceId}`);
    for (const kind of KIND_NAMES) {
      expect(result.stdout).toMatch(new RegExp(`^${kind}\\s+${manifest.counts[kind] ?? 0}$`, 'm'));
    }
    const flow = manifest.objects.find((o) => o.kind === 'flows');
    expect(result.stdout).toContain(`  ${flow?.name}  ${flow?.id}`);
  });

  it('shows one kind as JSON, named, with the same numbers as the manifest', async () => {
    const result = await show(snapshotId, '--kind', 'queues', '--json');
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout) as {
      snapshotId: string;
      counts: Record<string, number>;
      kinds: Record<string, Array<{ name: string; id: string; key: string }>>;
    };
    expect(shown.snapshotId).toBe(snapshotId);
    expect(Object.keys(shown.kinds)).toEqual(['queues']);
    const queues = manifest.objects.filter((o) => o.kind === 'queues');
    expect(shown.counts.queues).toBe(manifest.counts.queues);
    expect(shown.kinds.queues?.map((q) => q.key).sort()).toEqual(queues.map((q) => q.key).sort());
    expect(shown.kinds.queues?.map((q) => q.name)).toEqual(
      [...queues.map((q) => q.name)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it('exits 2 naming the problem for an unknown kind or snapshot', async () => {
    const kind = await show('--kind', 'flowz');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('Unknown kind(s): flowz');
    const missing = await show('2020-01-01T00-00-00.000Z');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no manifest/);
  });
});
