/** `connect-vault doctor` in-process, against the emulator (demo-source) and s3rver. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectEmulator, type Quirk, startConnectEmulator } from '../emulator/index.js';
import { runCli } from '../support/cli.js';
import { type S3rverHandle, STACK_BUCKET_CONFIG, startS3rver } from '../support/s3rver.js';

let s3: S3rverHandle;
let home: string;
const emulators: ConnectEmulator[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startS3rver({ bucketConfig: STACK_BUCKET_CONFIG });
  home = await mkdtemp(join(tmpdir(), 'connect-vault-doctor-'));
  // s3rver takes only these credentials; the emulator maps an unknown access key to the default
  // account, demo-source's.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '2',
  });
});

afterAll(async () => {
  process.env = saved;
  for (const emulator of emulators) await emulator.close();
  await s3.close();
  await rm(home, { recursive: true, force: true });
});

async function demoSource(quirks: Quirk[] = []): Promise<{ emulator: ConnectEmulator; id: string }> {
  const emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false }, quirks });
  emulators.push(emulator);
  const id = emulator.instances.find((i) => i.alias === 'demo-source')?.id ?? '';
  return { emulator, id };
}

const run = runCli;

const doctor = (emulator: ConnectEmulator, id: string, ...more: string[]) =>
  run(
    'doctor',
    '--instance-id',
    id,
    '--bucket',
    s3.bucket,
    '--endpoint-url',
    emulator.endpoint,
    '--s3-endpoint-url',
    s3.endpoint,
    // The emulator does not throttle here; the client's limiters need not hold back.
    '--rate-factor',
    '10',
    ...more,
  );

describe('connect-vault doctor', () => {
  it('on a clean instance: a table, the JSON file, exit 0', async () => {
    const { emulator, id } = await demoSource();
    const out = join(home, 'doctor.json');

    const result = await doctor(emulator, id, '--json', out);
    const written = JSON.parse(await readFile(out, 'utf8')) as {
      ok: boolean;
      checks: Array<{ id: string; status: string }>;
    };

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^status\s+check\s+detail\n/);
    expect(result.stdout).toMatch(/\nok\s+read:connect:SearchContactFlows\s+allowed\n/);
    expect(result.stdout).toMatch(/\d+ ok, 0 failed, \d+ unknown \(instance /);
    expect(written.ok).toBe(true);
    expect(written.checks.filter((c) => c.id.startsWith('read:')).every((c) => c.status === 'ok')).toBe(true);
  });

  it('with describe-omits-content: exit 1 naming each failed assumption', async () => {
    const { emulator, id } = await demoSource(['describe-omits-content']);

    const result = await doctor(emulator, id);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /\nFAILED\s+search-vs-describe:flows\s+sample [^\n]*DescribeContactFlow lacks Content/,
    );
    expect(result.stderr).toMatch(/^connect-vault: 2 assumption\(s\) do not hold:\n/);
    expect(result.stderr).toMatch(
      /\n {2}search-vs-describe:flows: [^\n]*fails on an entity without Content \(/,
    );
    expect(result.stderr).toMatch(
      /\n {2}search-vs-describe:flow-modules: [^\n]*fails on an entity without Content \(/,
    );
  });

  it('with search-omits-drafts: names draft detection, and exits 0 as the backup reads drafts with Describe', async () => {
    const { emulator, id } = await demoSource(['search-omits-drafts']);

    const result = await doctor(emulator, id);

    expect(result.stdout).toMatch(/\nok\s+draft-detection:flows\s+draft detection: DescribeContactFlow /);
    expect(result.code).toBe(0);
  });

  it('--json - prints the JSON instead of the table', async () => {
    const { emulator, id } = await demoSource();

    const result = await doctor(emulator, id, '--json', '-');

    expect(JSON.parse(result.stdout)).toMatchObject({ instanceId: id, bucket: s3.bucket, ok: true });
  });

  it('an instance that is not there exits 2', async () => {
    const { emulator } = await demoSource();

    const result = await doctor(emulator, '11111111-2222-4333-8444-555555555555');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No Connect instance 11111111-2222-4333-8444-555555555555');
  });

  it('--help explains the checks and the exit codes', async () => {
    const result = await run('doctor', '--help');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--restore-role-arn <arn>');
    expect(result.stdout).toContain('draft-detection:<kind>');
    expect(result.stdout).toContain('a failed doctor check');
  });
});
