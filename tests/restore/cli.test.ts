/**
 * `connect-vault plan` and `connect-vault restore`: flags, profiles for the source and the target
 * account, a YAML mapping file, the readable summary, the JSON report and the exit codes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectClient } from '@aws-sdk/client-connect';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '#shared/cli/main.js';
import type { RestoreReport } from '#shared/restore/report.js';
import { restoreReportKey } from '#shared/snapshot/format.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { isMutating } from '../emulator/stats.js';
import {
  backupOf,
  instanceNamed,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from './support.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let home: string;
const passwords: string[] = [];

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  home = await mkdtemp(join(tmpdir(), 'connect-vault-cli-'));
  await writeFile(
    join(home, 'credentials'),
    [
      '[source]',
      'aws_access_key_id = AKIAEMULATORSOURCE01',
      'aws_secret_access_key = emulator',
      '[target]',
      'aws_access_key_id = AKIAEMULATORTARGET01',
      'aws_secret_access_key = emulator',
      '',
    ].join('\n'),
  );
  await writeFile(join(home, 'config'), '');
  await writeFile(
    join(home, 'mapping.yaml'),
    ['accounts:', "  '111122223333': '444455556666'", 'regions:', '  us-east-1: eu-west-2', ''].join('\n'),
  );
  await writeFile(join(home, 'bad-mapping.json'), JSON.stringify({ accounts: { '111122223333': 'prod' } }));
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_REGION'])
    delete process.env[key];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_CONFIG_FILE: join(home, 'config'),
  });
  await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, '');
  // Every CreateUser the CLI sends: the only place a password may be.
  const send = ConnectClient.prototype.send;
  vi.spyOn(ConnectClient.prototype, 'send').mockImplementation(function (
    this: ConnectClient,
    ...args: unknown[]
  ) {
    const command = args[0] as { constructor: { name: string }; input: { Password?: string } };
    if (command.constructor.name === 'CreateUserCommand' && command.input.Password)
      passwords.push(command.input.Password);
    return (send as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await stopEmulatorAndFolder(emulator, folder);
  await rm(home, { recursive: true, force: true });
});

afterEach(() => {
  process.exitCode = undefined;
});

/** Runs the CLI in-process; returns its exit code and what it wrote. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(['node', 'connect-vault', ...args]);
  out.mockRestore();
  err.mockRestore();
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

function crossAccount(...extra: string[]): string[] {
  return [
    '--from',
    folder.root,
    '--source-instance-id',
    instanceNamed(emulator, 'demo-source').id,
    '--target-instance-id',
    instanceNamed(emulator, 'demo-target').id,
    '--region',
    'us-east-1',
    '--profile',
    'source',
    '--target-region',
    'eu-west-2',
    '--target-profile',
    'target',
    '--endpoint-url',
    emulator.endpoint,
    // The emulator does not throttle here: let the client-side limiters go fast too.
    '--rate-factor',
    '100',
    '-q',
    ...extra,
  ];
}

function mutatingCalls(): number {
  return Object.entries(emulator.stats().operations)
    .filter(([op]) => isMutating(op))
    .reduce((n, [, s]) => n + s.calls, 0);
}

describe('connect-vault plan', () => {
  it('prints the plan, writes the JSON report to stdout, changes nothing and exits 1 for the blocked queue', async () => {
    emulator.resetStats();

    const result = await run(
      'plan',
      ...crossAccount('--mapping', join(home, 'mapping.yaml'), '--kinds', 'queues,hours-of-operation'),
    );

    expect(result.code).toBe(1);
    expect(mutatingCalls()).toBe(0);
    const report = JSON.parse(result.stdout) as RestoreReport;
    expect(report.dryRun).toBe(true);
    // Customer Support's outbound flow is a flow: neither in the target nor selected.
    expect(report.counts).toEqual({ create: 8, update: 0, unchanged: 2, skip: 1 });
    expect(result.stderr).toContain('Restore plan (dry run)');
    expect(result.stderr).toContain('create  queues "Technical Support"');
    expect(result.stderr).toContain(
      'BLOCKED queues "Customer Support": references flow "Outbound Support Whisper", which is neither in the target nor selected for this restore',
    );
    expect(result.stderr).toContain(
      'Plan: 8 to create, 0 to update, 2 unchanged, 1 skipped (1 blocked); nothing was written.',
    );
  });
});

describe('connect-vault restore', () => {
  it('exits 2, writing nothing, for a bad mapping file or an unknown target instance', async () => {
    emulator.resetStats();

    const badMapping = await run('restore', ...crossAccount('--mapping', join(home, 'bad-mapping.json')));
    const noMapping = await run('restore', ...crossAccount('--mapping', join(home, 'missing.json')));
    const unknownTarget = await run(
      'restore',
      ...crossAccount('--target-instance-id', '00000000-0000-4000-8000-000000000000'),
    );

    expect(badMapping.code).toBe(2);
    expect(badMapping.stderr).toContain(
      'accounts.111122223333: "prod" (the value of "111122223333") is not a 12-digit account id',
    );
    expect(noMapping.code).toBe(2);
    expect(noMapping.stderr).toContain('Cannot read the mapping file');
    expect(unknownTarget.code).toBe(2);
    expect(unknownTarget.stderr).toContain(
      'Target instance 00000000-0000-4000-8000-000000000000 does not exist',
    );
    expect(mutatingCalls()).toBe(0);
  });

  it('exits 2, reading and writing nothing, for mode mirror without the safety snapshot', async () => {
    emulator.resetStats();

    const result = await run('restore', ...crossAccount('--mode', 'mirror', '--no-safety-snapshot'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mode mirror removes resources and needs the safety snapshot');
    expect(Object.values(emulator.stats().operations).reduce((n, s) => n + s.calls, 0)).toBe(0);
  });

  it('exits 2, writing nothing, for empty filters and a mapping file that is empty or gives a key twice', async () => {
    await writeFile(join(home, 'empty.yaml'), '');
    await writeFile(
      join(home, 'twice.json'),
      '{ "accounts": { "111122223333": "444455556666" }, "accounts": { "111122223333": "999988887777" } }',
    );
    emulator.resetStats();

    const emptyKinds = await run('restore', ...crossAccount('--kinds', ','));
    const emptyNames = await run('restore', ...crossAccount('--names', ''));
    const emptyMapping = await run('restore', ...crossAccount('--mapping', join(home, 'empty.yaml')));
    const twice = await run('restore', ...crossAccount('--mapping', join(home, 'twice.json')));

    expect([emptyKinds.code, emptyNames.code, emptyMapping.code, twice.code]).toEqual([2, 2, 2, 2]);
    expect(emptyKinds.stderr).toContain('filters.kinds: name at least one kind, or leave the filter out');
    expect(emptyNames.stderr).toContain(
      'filters.names: give at least one name glob, or leave the filter out',
    );
    expect(emptyMapping.stderr).toContain(`Invalid mapping file ${join(home, 'empty.yaml')}: it is empty`);
    expect(twice.stderr).toContain('the key "accounts" is given twice in one object (line 1, column 51)');
    expect(mutatingCalls()).toBe(0);
  });

  it('exits 1, writing nothing, when the filters match nothing in the snapshot', async () => {
    emulator.resetStats();

    const result = await run(
      'restore',
      ...crossAccount('--mapping', join(home, 'mapping.yaml'), '--names', 'No such resource*'),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Nothing to restore: the filters (names "No such resource*") match no resource of snapshot',
    );
    expect(mutatingCalls()).toBe(0);
  });

  it('restores across accounts, writes the report to the store, lists password resets and shows no password', async () => {
    const result = await run('restore', ...crossAccount('--mapping', join(home, 'mapping.yaml')));

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const restoreId = /Restore (\S+), mode create-missing/.exec(result.stderr)?.[1] ?? '';
    const key = restoreReportKey('', instanceNamed(emulator, 'demo-target').id, restoreId);
    const report = JSON.parse(await readFile(join(folder.root, key), 'utf8')) as RestoreReport;
    expect(report.status).toBe('succeeded');
    expect(result.stderr).toContain(`Report: ${join(folder.root, key)}`);
    expect(result.stderr).toContain('Users who need a password reset (40):');
    // A CreateUser naming a resource created moments ago is sent again (same password) while it propagates.
    expect(new Set(passwords).size).toBe(40);
    for (const password of passwords) {
      expect(result.stderr.includes(password)).toBe(false);
      expect(JSON.stringify(report).includes(password)).toBe(false);
    }
  });

  it('exits 1 when resources are blocked, naming the unresolved references', async () => {
    emulator.propagation.settle(); // the restore above has propagated
    const result = await run('restore', ...crossAccount('--mode', 'overwrite', '--kinds', 'flows'));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unresolved references');
    expect(result.stderr).toContain('arn:aws:lambda:us-east-1:111122223333:function:CustomerLookup');
    expect(result.stderr).toMatch(/Restore blocked: /);
  });

  it('exits 2 on bad usage, and documents the flags', async () => {
    const noSource = await run('restore', '--from', folder.root);
    const badMode = await run('restore', ...crossAccount('--mode', 'replace'));
    const help = await run('restore', '--help');

    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain("required option '--source-instance-id <id>' not specified");
    expect(badMode.code).toBe(2);
    expect(help.code).toBe(0);
    for (const flag of [
      '--snapshot',
      '--target-instance-id',
      '--mode',
      '--kinds',
      '--names',
      '--mapping',
      '--dry-run',
      '--target-profile',
      '--report',
    ])
      expect(help.stdout).toContain(flag);
  });
});
