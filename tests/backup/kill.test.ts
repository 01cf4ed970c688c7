/**
 * kill -9 at random moments (issue 14): a child process backs up an emulated instance into s3rver
 * and is killed with SIGKILL after a random delay, a bounded number of times (the delays come from
 * a seeded generator and are printed, so a failing run can be replayed). After every kill, an
 * independent check: every committed snapshot verifies intact and `latest.json` names one of them.
 * A kill between the manifest and `latest.json` leaves `latest.json` one snapshot behind (they are
 * two objects); the next backup that completes moves it on, so after the last, uninterrupted run
 * `latest.json` names the newest committed snapshot.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import { type ConnectEmulator, type SeededInstance, startConnectEmulator } from '../emulator/index.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';
import { checkStore } from '../support/snapshot-check.js';

const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const PREFIX = 'kill';
const KILLS = 4;
const SEED = Number(process.env.KILL_TEST_SEED ?? 14);

let emulator: ConnectEmulator;
let instance: SeededInstance;
let s3: S3rverHandle;

beforeAll(async () => {
  emulator = await startConnectEmulator({ seed: 'new-instance', throttle: { enabled: false } });
  const first = emulator.instances[0];
  if (!first) throw new Error('no instance');
  instance = first;
  s3 = await startS3rver({ buckets: ['kill-test'] });
});

afterAll(async () => {
  await emulator?.close();
  await s3?.close();
});

/** mulberry32, so the kill moments repeat for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs the child; kills it with SIGKILL `killAfterMs` after it is ready (its modules loaded) unless
 * it finished first. `ms` is the time from ready to exit.
 */
function runChild(killAfterMs: number | undefined): Promise<{ killed: boolean; ms: number; output: string }> {
  const job = {
    connectEndpoint: emulator.endpoint,
    credentials: emulator.credentials(instance.accountId),
    region: instance.region,
    s3Endpoint: s3.endpoint,
    bucket: s3.bucket,
    prefix: PREFIX,
    instanceId: instance.id,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, KILL_CHILD_JOB: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let ready = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (ready === 0 && output.startsWith('ready\n')) {
      ready = performance.now();
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - ready;
      if (signal === 'SIGKILL') resolve({ killed: true, ms, output });
      else if (code === 0) resolve({ killed: false, ms, output });
      else reject(new Error(`child exited with ${code}: ${errors}`));
    });
  });
}

describe('backups killed with SIGKILL at random moments', () => {
  it('never leave a committed snapshot damaged nor latest.json on a snapshot that is not complete', async () => {
    const store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket });
    const first = await runChild(undefined);
    expect(JSON.parse(first.output.trim().split('\n').at(-1) ?? '').status).toBe('complete');
    const next = random(SEED);
    const kills: number[] = [];
    for (let round = 0; round < KILLS; round += 1) {
      // Anywhere from the backup's start to a little past a whole run, so every stage gets hit.
      const delay = Math.round(next() * first.ms * 1.1);
      const run = await runChild(delay);
      if (run.killed) kills.push(delay);
      const check = await checkStore(store, PREFIX, instance.id);
      expect(check.problems, `seed ${SEED}, round ${round}, killed after ${delay} ms`).toEqual([]);
    }

    const last = await runChild(undefined);
    const finished = JSON.parse(last.output.trim().split('\n').at(-1) ?? '') as {
      status: string;
      snapshotId: string;
    };
    const check = await checkStore(store, PREFIX, instance.id);

    expect(kills.length, `seed ${SEED}: kills ${kills.join(', ')}`).toBeGreaterThan(0);
    expect(finished.status).toBe('complete');
    expect(check.problems).toEqual([]);
    expect(check.latest).toBe(finished.snapshotId);
    expect(check.complete.at(-1)).toBe(finished.snapshotId);
  }, 120_000);
});
