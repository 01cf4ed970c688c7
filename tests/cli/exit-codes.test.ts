/**
 * The exit-code contract, one row at a time: 0 done; 1 the work failed or found a problem; 2 bad
 * usage or input. (130, interrupted, is in interrupt.test.ts: it needs a real process.)
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConnectEmulator } from '../emulator/index.js';
import {
  backupOf,
  instanceNamed,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from '../restore/support.js';
import { runCli } from '../support/cli.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let home: string;
let s3: S3rverHandle;
let sourceId: string;
let targetId: string;
let snapshotId: string;
const saved = { ...process.env };

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  s3 = await startS3rver();
  home = await mkdtemp(join(tmpdir(), 'connect-vault-exit-'));
  await writeFile(
    join(home, 'credentials'),
    [
      '[source]',
      'aws_access_key_id = AKIAEMULATORSOURCE01',
      'aws_secret_access_key = emulator',
      '[target]',
      'aws_access_key_id = AKIAEMULATORTARGET01',
      'aws_secret_access_key = emulator',
      '[s3rver]',
      'aws_access_key_id = S3RVER',
      'aws_secret_access_key = S3RVER',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(home, 'config'),
    [
      '[profile source]',
      'region = us-east-1',
      '[profile target]',
      'region = eu-west-2',
      '[profile s3rver]',
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  for (const key of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_PROFILE',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
  ])
    delete process.env[key];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_CONFIG_FILE: join(home, 'config'),
  });
  sourceId = instanceNamed(emulator, 'demo-source').id;
  targetId = instanceNamed(emulator, 'demo-target').id;
  snapshotId = await backupOf(emulator, instanceNamed(emulator, 'demo-source'), folder.store, '');
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await stopEmulatorAndFolder(emulator, folder);
  await s3.close();
  await rm(home, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs the CLI in-process; returns its exit code and what it wrote. */
const run = runCli;

/** plan/restore from the demo source into the demo target, each with its own profile. */
function crossAccount(command: 'plan' | 'restore', ...extra: string[]) {
  return run(
    command,
    '--from',
    folder.root,
    '--source-instance-id',
    sourceId,
    '--target-instance-id',
    targetId,
    '--profile',
    'source',
    '--target-profile',
    'target',
    '--endpoint-url',
    emulator.endpoint,
    '--rate-factor',
    '100',
    '-q',
    ...extra,
  );
}

describe('exit code 0: done', () => {
  it('lists the snapshots of a backed-up instance', async () => {
    const result = await run('snapshots', '--from', folder.root, '--instance-id', sourceId);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(snapshotId);
  });

  it('prints the contract after every command’s help', async () => {
    for (const command of ['backup', 'snapshots', 'verify', 'diff', 'restore', 'plan']) {
      const help = await run(command, '--help');

      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Exit codes (every command):');
      expect(help.stdout).toContain('130  interrupted');
    }
  });
});

describe('exit code 1: the work failed or found a problem', () => {
  it('a backup that failed', async () => {
    const out = await mkdtemp(join(tmpdir(), 'connect-vault-failed-'));
    emulator.faults.set([{ operation: 'DescribeUser', kind: 'internal-error', fromCall: 1 }]);
    // Two attempts per call, not the default 16 with minutes of backoff, through the SDK's variable.
    process.env.AWS_MAX_ATTEMPTS = '2';
    try {
      const result = await run(
        'backup',
        '--instance-id',
        sourceId,
        '--out',
        out,
        '--profile',
        'source',
        '--endpoint-url',
        emulator.endpoint,
        '--kinds',
        'users',
        '-q',
      );

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`FAILED ${sourceId}:`);
      expect(result.stderr).toContain('0 succeeded, 1 failed');
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
      emulator.faults.set([]);
      await rm(out, { recursive: true, force: true });
    }
  });

  it('a plan with blocked resources', async () => {
    const result = await crossAccount('plan', '--kinds', 'flows');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\(\d+ blocked\); nothing was written/);
    expect(result.stderr).not.toMatch(/\(0 blocked\)/);
  });

  it('a --names filter that matched nothing, with a warning', async () => {
    const result = await crossAccount('restore', '--names', 'sales*');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^connect-vault: Nothing to restore: the filters \(.*sales\*.*\) match no resource of snapshot \S+; nothing was written\n$/m,
    );
  });

  it('a restore that did not reach every planned outcome', async () => {
    const result = await crossAccount('restore', '--mode', 'overwrite', '--kinds', 'flows');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Restore blocked: /);
  });
});

describe('exit code 2: bad usage or input', () => {
  it('an unknown option', async () => {
    const result = await run('snapshots', '--frobnicate');

    expect(result.code).toBe(2);
  });

  it('a --from folder that does not exist', async () => {
    const missing = join(home, 'no-such-folder');
    const result = await run('snapshots', '--from', missing, '--instance-id', sourceId);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `connect-vault: No folder ${missing}: give --from s3://bucket/prefix or an existing folder.\n`,
    );
  });

  it('an unknown instance id', async () => {
    const result = await run('snapshots', '--from', folder.root, '--instance-id', 'no-such-instance');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No snapshot of instance no-such-instance at ${folder.root}`);
  });

  it('a mistyped S3 prefix', async () => {
    const from = `s3://${s3.bucket}/mistyped`;
    const result = await run(
      'snapshots',
      '--from',
      from,
      '--instance-id',
      sourceId,
      '--s3-endpoint-url',
      s3.endpoint,
      '--profile',
      's3rver',
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No snapshot of instance ${sourceId} at ${from}`);
  });

  it('a profile that is not configured', async () => {
    const result = await run(
      'snapshots',
      '--from',
      `s3://${s3.bucket}/connect`,
      '--instance-id',
      sourceId,
      '--s3-endpoint-url',
      s3.endpoint,
      '--region',
      'us-east-1',
      '--profile',
      'no-such-profile',
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('connect-vault: No AWS credentials: ');
    expect(result.stderr).toContain('Check --profile');
  });

  it('an unknown snapshot for verify', async () => {
    const result = await run(
      'verify',
      '--from',
      folder.root,
      '--instance-id',
      sourceId,
      '--snapshot',
      '2020-01-01T00-00-00.000Z',
    );

    expect(result.code).toBe(2);
  });

  it('a bad mapping file', async () => {
    await writeFile(join(home, 'bad.json'), '{ "accounts": ');
    const result = await crossAccount('plan', '--mapping', join(home, 'bad.json'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not valid JSON');
  });

  it('a corrupt manifest: snapshots lists it as invalid, verify refuses it', async () => {
    const corrupt = await mkdtemp(join(tmpdir(), 'connect-vault-corrupt-'));
    try {
      await run(
        'backup',
        '--instance-id',
        sourceId,
        '--out',
        corrupt,
        '--profile',
        'source',
        '--endpoint-url',
        emulator.endpoint,
        '-q',
        '--kinds',
        'queues',
      );
      const [id] = await readdir(join(corrupt, sourceId, 'snapshots'));
      await writeFile(join(corrupt, sourceId, 'snapshots', id ?? '', 'manifest.json'), '{ not json');

      const listed = await run('snapshots', '--from', corrupt, '--instance-id', sourceId);
      const verified = await run(
        'verify',
        '--from',
        corrupt,
        '--instance-id',
        sourceId,
        '--snapshot',
        id ?? '',
      );

      expect(listed.code).toBe(2);
      expect(listed.stdout).toContain(`invalid ${id}:`);
      expect(verified.code).toBe(2);
    } finally {
      await rm(corrupt, { recursive: true, force: true });
    }
  });
});

describe('what the commands read and print', () => {
  it('reads a YAML mapping with unquoted account ids as strings', async () => {
    await writeFile(
      join(home, 'unquoted.yaml'),
      [
        'accounts:',
        '  111122223333: 444455556666',
        // A leading zero survives: read as written, not as the number 12345678901.
        '  012345678901: 210987654321',
        'regions:',
        '  us-east-1: eu-west-2',
        '',
      ].join('\n'),
    );

    const result = await crossAccount(
      'plan',
      '--mapping',
      join(home, 'unquoted.yaml'),
      '--kinds',
      'queues,hours-of-operation',
    );

    expect(result.stderr).not.toContain('expected string');
    // As with the quoted mapping in tests/restore/cli.test.ts: one queue blocked by a flow not selected.
    expect(JSON.parse(result.stdout).counts).toEqual({ create: 8, update: 0, unchanged: 2, skip: 1 });
    expect(result.code).toBe(1);
  });

  it('backs up to S3 with --s3-profile and prints the S3 location with slashes', async () => {
    const backup = await run(
      'backup',
      '--instance-id',
      sourceId,
      '--bucket',
      s3.bucket,
      '--prefix',
      'connect',
      '--profile',
      'source',
      '--s3-profile',
      's3rver',
      '--endpoint-url',
      emulator.endpoint,
      '--s3-endpoint-url',
      s3.endpoint,
      // Connect's quotas sped up: 33 DescribeContactFlow calls at 2 a second would take 15 s.
      '--rate-factor',
      '20',
      '-q',
    );
    // A backup of some kinds is partial: latest.json does not move, so name the snapshot.
    const snapshot = /Snapshot (\S+) of/.exec(backup.stderr)?.[1] ?? '';
    const verified = await run(
      'verify',
      '--from',
      `s3://${s3.bucket}/connect`,
      '--instance-id',
      sourceId,
      '--snapshot',
      snapshot,
      '--s3-profile',
      's3rver',
      '--s3-endpoint-url',
      s3.endpoint,
      '--json',
    );
    const planned = await run(
      'plan',
      '--from',
      `s3://${s3.bucket}/connect`,
      '--source-instance-id',
      sourceId,
      '--snapshot',
      snapshot,
      '--profile',
      'source',
      '--s3-profile',
      's3rver',
      '--endpoint-url',
      emulator.endpoint,
      '--s3-endpoint-url',
      s3.endpoint,
      '--kinds',
      'queues',
      '-q',
    );

    expect(verified.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.stdout) as { snapshotId: string; location: string };
    expect(report.snapshotId).toBe(snapshot);
    expect(report.location).toBe(`s3://${s3.bucket}/connect/${sourceId}/snapshots/${report.snapshotId}/`);
    expect(backup.stderr).toContain(
      `  at s3://${s3.bucket}/connect/${sourceId}/snapshots/${report.snapshotId}/`,
    );
    expect(JSON.parse(planned.stdout).source.location).toBe(report.location);
  });
});
