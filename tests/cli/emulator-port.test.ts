/**
 * The emulator's command line on a port that is taken: one sentence naming the port and what to
 * do, exit 2 (bad input), no stack trace.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let busy: Server;
let port: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('npm run emulator on a port in use', () => {
  it('says the port is in use and exits 2', async () => {
    const root = join(import.meta.dirname, '../..');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/emulator/cli.ts', '--port', String(port)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));

    expect(code).toBe(2);
    expect(stderr).toBe(
      `connect-emulator: port ${port} on 127.0.0.1 is in use (another emulator?). Stop it, or pass --port <other> (0 picks a free one).\n`,
    );
  }, 30_000);
});
