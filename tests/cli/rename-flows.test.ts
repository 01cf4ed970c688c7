/**
 * `connect-vault rename-flows`: prefixes a new instance's default and sample flows (or every flow),
 * idempotently, keeping descriptions; --dry-run writes nothing; a taken name fails that flow only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_NAMES } from '#shared/migrate/rename-flows.js';
import { connectCall } from '../backup/incremental-support.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { defaultFlowSpecs } from '../emulator/seeds/default-flows.js';
import { runCli } from '../support/cli.js';

let emulator: ConnectEmulator;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false } });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIAEMULATORDEFAULT1',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '2',
  });
});

afterAll(async () => {
  process.env = saved;
  await emulator.close();
});

const instanceOf = (alias: string): SeededInstance =>
  emulator.instances.find((i) => i.alias === alias) ?? (undefined as never);

/** Every flow of the instance, by name, with its description, as the emulator holds them. */
function flowsOf(instance: SeededInstance): Map<string, string | undefined> {
  const flows = emulator.world.instances.get(instance.id)?.flows.all() ?? [];
  return new Map(flows.map((f) => [f.name, f.entity.Description]));
}

/** The CLI with the instance's own account (its access key) and Region. */
function rename(instance: SeededInstance, ...more: string[]) {
  process.env.AWS_ACCESS_KEY_ID = instance.accessKeyId;
  return runCli(
    'rename-flows',
    '--instance-id',
    instance.id,
    '--region',
    instance.region,
    '--endpoint-url',
    emulator.endpoint,
    '--rate-factor',
    '10',
    ...more,
  );
}

describe('connect-vault rename-flows', () => {
  it('knows exactly the flows a new instance comes with', () => {
    expect([...DEFAULT_FLOW_NAMES].sort()).toEqual(
      defaultFlowSpecs('us-east-1')
        .map((s) => s.name)
        .sort(),
    );
  });

  it('--dry-run lists the default flows it would rename and changes nothing', async () => {
    const target = instanceOf('demo-target');
    const before = flowsOf(target);
    const run = await rename(target, '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Default customer queue');
    expect(run.stdout).toContain('~Default customer queue');
    expect(run.stdout).toMatch(/Dry run: 20 would be renamed, 0 already prefixed\. Nothing was changed\./);
    expect(flowsOf(target)).toEqual(before);
  });

  it('prefixes the default flows with ~, keeps descriptions, leaves other flows, and a second run renames nothing', async () => {
    const source = instanceOf('demo-source');
    const before = flowsOf(source);
    const own = [...before.keys()].filter((name) => !DEFAULT_FLOW_NAMES.includes(name));
    expect(own.length).toBeGreaterThan(0);

    const first = await rename(source);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('20 renamed, 0 already prefixed, 0 failed.');
    expect(first.stderr).toContain('[20/20] renamed');
    const after = flowsOf(source);
    for (const name of DEFAULT_FLOW_NAMES) {
      expect(after.has(name), name).toBe(false);
      expect(after.get(`~${name}`), name).toBe(before.get(name));
    }
    for (const name of own) expect(after.get(name)).toBe(before.get(name));

    const second = await rename(source, '--json');
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as { outcomes: { result: string; name: string }[] };
    expect(report.outcomes).toHaveLength(20);
    expect(new Set(report.outcomes.map((o) => o.result))).toEqual(new Set(['already-prefixed']));
    expect(flowsOf(source)).toEqual(after);
  });

  it('--all-flows with another prefix renames every flow, and a taken name fails only that flow (exit 1)', async () => {
    const target = instanceOf('demo-target');
    const names = [...flowsOf(target).keys()];
    // A flow already holds the new name of "Default outbound": that rename must fail, the rest go on.
    await connectCall(emulator, target, 'CreateContactFlow', {
      Name: 'zz-Default outbound',
      Type: 'CONTACT_FLOW',
      Content: JSON.stringify({
        Version: '2019-10-30',
        StartAction: 'x',
        Actions: [{ Identifier: 'x', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }],
      }),
    });
    const run = await rename(target, '--all-flows', '--prefix', 'zz-');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Default outbound: DuplicateResourceException/);
    const after = flowsOf(target);
    expect(after.has('Default outbound')).toBe(true);
    for (const name of names.filter((n) => n !== 'Default outbound'))
      expect(after.has(`zz-${name}`), name).toBe(true);
  });

  it('an unknown instance exits 2 and says what to check', async () => {
    const run = await runCli(
      'rename-flows',
      '--instance-id',
      '00000000-0000-4000-8000-000000000000',
      '--endpoint-url',
      emulator.endpoint,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No Connect instance .* Check --instance-id/);
  });

  it('an empty prefix exits 2 before any call', async () => {
    const run = await rename(instanceOf('demo-target'), '--prefix', '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--prefix must not be empty');
  });
});
