/**
 * Asking for a full backup: `connect-vault backup --full`, and `full: true` in the schedule's input,
 * which the scheduler passes on in every `Backup Requested` event.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqsBackupQueue } from '#shared/backup/backup-queue.js';
import { main } from '#shared/cli/main.js';
import { createConnectClient } from '#shared/connect/client.js';
import { scheduleBackupsHandler } from '../../functions/schedule-backups/handler.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { type LocalSqs, startLocalSqs } from '../support/local-sqs.js';
import {
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
  useEmulatorCredentials,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let sqs: LocalSqs;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('new-instance'));
  sqs = await startLocalSqs();
  useEmulatorCredentials(emulator);
});

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
  await sqs?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs `connect-vault backup` in-process; returns its exit code and what it wrote on stderr. */
async function backup(...extra: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const id = emulator.instances[0]?.id ?? '';
  // Connect's quotas sped up: 20 DescribeContactFlow calls at 2 a second would take 10 s a run.
  const args = [
    'backup',
    '--instance-id',
    id,
    '--out',
    folder.root,
    '--endpoint-url',
    emulator.endpoint,
    '--rate-factor',
    '20',
  ];
  const code = await main(['node', 'connect-vault', ...args, '--quiet', ...extra]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, stderr };
}

describe('connect-vault backup', () => {
  it('is incremental after the first snapshot, and reads everything again with --full', async () => {
    const first = await backup();
    const second = await backup();
    const full = await backup('--full');

    const firstId = /Snapshot (\S+) of/.exec(first.stderr)?.[1];
    expect([first.code, second.code, full.code]).toEqual([0, 0, 0]);
    expect(first.stderr).not.toContain('incremental from');
    expect(second.stderr).toContain(
      `incremental from ${firstId}: 4 read, 34 carried forward (prompts, security-profiles, flows, flow-modules, queues, routing-profiles, users checked for changes)`,
    );
    expect(full.stderr).not.toContain('incremental from');
    expect(full.stderr).toMatch(/users\s+1\n/);
  });

  it('refuses a --full-every that is not a positive number of days', async () => {
    const result = await backup('--full-every', '0');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--full-every must be a positive number of days.');
  });
});

describe('scheduleBackupsHandler with full: true', () => {
  it('asks for a full backup in every Backup Requested event', async () => {
    const instance = emulator.instances[0];
    if (!instance) throw new Error('no instance');
    const deps = {
      config: { instanceIds: [] },
      ports: {
        connect: createConnectClient({
          region: instance.region,
          endpoint: emulator.endpoint,
          credentials: emulator.credentials(instance.accountId),
          rateLimit: false,
        }).client,
        queue: sqsBackupQueue(
          new SQSClient({
            region: instance.region,
            endpoint: sqs.endpoint,
            credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
          }),
          sqs.queueUrl,
        ),
        accountId: instance.accountId,
        region: instance.region,
        clock: { now: () => new Date('2026-11-29T02:00:05.000Z') },
        logger: { info: () => {}, warn: () => {} },
      },
    };

    const result = await scheduleBackupsHandler({ full: true }, deps);

    expect(result).toEqual({ requested: [instance.id] });
    expect(sqs.queue.messages.map((m) => JSON.parse(m.body).detail)).toEqual([
      { instanceId: instance.id, full: true, requestedAt: '2026-11-29T02:00:05.000Z' },
    ]);
  });
});
