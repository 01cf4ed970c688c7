/** Running the connect-vault CLI in-process in tests, as a user's shell would see it. */
import { vi } from 'vitest';
import { main } from '#shared/cli/main.js';

/** What one CLI run returned and wrote. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `connect-vault <args>` in-process: captures stdout and stderr, returns the exit code, and
 * leaves `process.exitCode` and every mock as they were before (`vi.restoreAllMocks()`).
 */
export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(['node', 'connect-vault', ...args]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, stdout, stderr };
}
