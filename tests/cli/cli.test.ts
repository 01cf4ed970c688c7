import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KIND_NAMES } from '#shared/kinds/index.js';
import {
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
  useEmulatorCredentials,
} from '../backup/support.js';
import type { ConnectEmulator } from '../emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: ConnectEmulator;
let folder: TempFolder;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('new-instance'));
  useEmulatorCredentials(emulator);
});

afterAll(() => stopEmulatorAndFolder(emulator, folder));

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs the CLI in-process; returns its exit code and what it wrote. */
const run = runCli;

/** Backs one instance of the emulator up to the folder, quietly. */
function backUp(instanceId: string) {
  return run(
    'backup',
    '--instance-id',
    instanceId,
    '--out',
    folder.root,
    '--endpoint-url',
    emulator.endpoint,
    '--quiet',
  );
}

describe('connect-vault backup', () => {
  it('backs up to a folder, prints a summary, and exits 0', async () => {
    const id = emulator.instances[0]!.id;

    const result = await backUp(id);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`of new-instance (${id})`);
    expect(result.stderr).toMatch(/users\s+1\n/);
    expect(result.stderr).toContain('1 succeeded, 0 failed');
  });

  it('writes a progress line per finished kind with the count of kinds when stderr is not a terminal', async () => {
    const id = emulator.instances[0]!.id;

    const result = await run(
      'backup',
      '--instance-id',
      id,
      '--out',
      folder.root,
      '--endpoint-url',
      emulator.endpoint,
    );

    const kinds = KIND_NAMES.length;
    const progress = new RegExp(` stored \\((\\d+)/${kinds} kinds\\)$`);
    const lines = result.stderr.split('\n').filter((l) => progress.test(l));
    expect(result.code).toBe(0);
    expect(lines.map((l) => progress.exec(l)?.[1])).toEqual(
      Array.from({ length: kinds }, (_, i) => String(i + 1)),
    );
    expect(result.stderr).toMatch(new RegExp(`^ {2}queues: 1 stored \\(\\d+/${kinds} kinds\\)$`, 'm'));
  });

  it('exits 2 (bad input) and names the instance when it does not exist', async () => {
    const result = await backUp('00000000-0000-4000-8000-000000000000');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FAILED 00000000-0000-4000-8000-000000000000: Cannot back up instance');
  });

  it('exits 2 on bad usage, saying what to do', async () => {
    const noDestination = await run('backup', '--instance-id', 'abc');
    const badKind = await run('backup', '--all', '--out', folder.root, '--kinds', 'flows,telephony');
    const unknownOption = await run('backup', '--frobnicate');

    expect(noDestination.code).toBe(2);
    expect(noDestination.stderr).toContain('Choose exactly one destination');
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('Unknown kind(s): telephony');
    expect(unknownOption.code).toBe(2);
  });
});

describe('connect-vault snapshots and verify', () => {
  it('lists the snapshot, verifies it intact, and exits 1 once an object is changed', async () => {
    const id = emulator.instances[0]!.id;
    await backUp(id);

    const listed = await run('snapshots', '--from', folder.root, '--instance-id', id);
    const intact = await run('verify', '--from', folder.root, '--instance-id', id);
    const snapshotId = /snapshot (\S+): intact/.exec(intact.stdout)?.[1] ?? '';
    const queueDir = join(folder.root, id, 'snapshots', snapshotId, 'queues');
    const { readdir } = await import('node:fs/promises');
    const queueFile = join(queueDir, (await readdir(queueDir))[0] ?? '');
    await writeFile(queueFile, (await readFile(queueFile, 'utf8')).replace('BasicQueue', 'TamperedQueue'));
    const tampered = await run(
      'verify',
      '--from',
      folder.root,
      '--instance-id',
      id,
      '--snapshot',
      snapshotId,
    );

    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${snapshotId}`);
    expect(listed.stdout).toContain('latest');
    expect(listed.stdout).toMatch(
      new RegExp(`${snapshotId}\\s+\\S+\\s+incremental\\s+\\d+\\s+\\d+\\s+0\\s+latest`),
    );
    expect(intact.code).toBe(0);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('NOT INTACT');
    expect(tampered.stdout).toContain('changed    queues/BasicQueue--');
  });
});

describe('connect-vault diff', () => {
  it('shows what changed between two snapshots of an instance, and exits 1', async () => {
    const id = emulator.instances[0]!.id;
    const { UpdateQueueNameCommand, ConnectClient, ListQueuesCommand } = await import(
      '@aws-sdk/client-connect'
    );
    await backUp(id);
    const before = /snapshot (\S+): intact/.exec(
      (await run('verify', '--from', folder.root, '--instance-id', id)).stdout,
    )?.[1];
    const connect = new ConnectClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: emulator.credentials(),
    });
    const queues = await connect.send(new ListQueuesCommand({ InstanceId: id, QueueTypes: ['STANDARD'] }));
    await connect.send(
      new UpdateQueueNameCommand({
        InstanceId: id,
        QueueId: queues.QueueSummaryList?.[0]?.Id,
        Description: 'Changed for the audit',
      }),
    );
    await backUp(id);

    const same = await run('diff', `${folder.root}/${id}@${before}`, `${folder.root}/${id}@${before}`);
    const changed = await run('diff', `${folder.root}/${id}@${before}`, `${folder.root}/${id}`);

    expect(same.code).toBe(0);
    expect(same.stdout).toContain('identical');
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(
      'queues:\n  ~ BasicQueue\n      resource.Description: "A simple, basic voice queue." → "Changed for the audit"\n\n',
    );
    const withVolatile = await run(
      'diff',
      `${folder.root}/${id}@${before}`,
      `${folder.root}/${id}`,
      '--volatile',
    );
    expect(withVolatile.stdout).toMatch(
      /queues:\n {2}~ BasicQueue\n {6}resource\.Description: .+\n {6}resource\.LastModifiedTime: "[^"]+" → "[^"]+"\n/,
    );
    const json = await run('diff', `${folder.root}/${id}@${before}`, `${folder.root}/${id}`, '--json');
    expect(JSON.parse(json.stdout).kinds.queues.changed).toEqual([
      {
        name: 'BasicQueue',
        paths: ['resource.Description'],
        changes: [
          {
            path: 'resource.Description',
            before: 'A simple, basic voice queue.',
            after: 'Changed for the audit',
          },
        ],
      },
    ]);
  });

  it('exits 2 and says what to give when a side cannot be read', async () => {
    const result = await run('diff', 'nonsense', `${folder.root}/missing-instance`);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give LOCATION/INSTANCE_ID[@SNAPSHOT]');
  });
});
