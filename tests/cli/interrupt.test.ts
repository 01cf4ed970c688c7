/**
 * Ctrl-C: the real command line, in its own process, gets SIGINT in the middle of a backup; it says
 * what was interrupted and that the unfinished snapshot does not count, and exits 130.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorAndFolder, stopEmulatorAndFolder, type TempFolder } from '../backup/support.js';
import type { ConnectEmulator } from '../emulator/index.js';

let emulator: ConnectEmulator;
let folder: TempFolder;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('new-instance'));
});

afterAll(() => stopEmulatorAndFolder(emulator, folder));

describe('connect-vault interrupted', () => {
  it('exits 130 on SIGINT during a backup, saying what was interrupted', async () => {
    const id = emulator.instances[0]!.id;
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, '../../bin/connect-vault.js'),
        'backup',
        '--instance-id',
        id,
        '--out',
        folder.root,
        '--endpoint-url',
        emulator.endpoint,
        // A hundredth of Connect's quotas: the backup is still reading when the signal comes.
        '--rate-factor',
        '0.01',
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: emulator.credentials().accessKeyId,
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const started = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Backing up')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await started;
    child.kill('SIGINT');
    const code = await exited;

    expect(code).toBe(130);
    expect(stderr).toContain(
      `connect-vault: interrupted while backing up ${id} to ${folder.root}; the snapshot in progress has no manifest, so it does not count`,
    );
    expect(stderr).not.toContain('succeeded');
    const snapshots = await readdir(join(folder.root, id, 'snapshots')).catch(() => []);
    for (const snapshot of snapshots) {
      const files = await readdir(join(folder.root, id, 'snapshots', snapshot));
      expect(files).not.toContain('manifest.json');
    }
  }, 60_000);
});
