/**
 * The CLI as users run it: `bin/connect-vault.js` over the esbuild bundle in `dist/` (built by the
 * global set-up), with plain Node and no TypeScript at start-up.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/connect-vault.js');

/** Runs the installed-style CLI in its own process. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The bare package names a bundle file imports statically, following its relative imports. */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^import\s[^;]*?from\s+"([^"]+)";?$/gms)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('.')) {
      for (const p of staticPackages(join(dirname(file), specifier), seen)) packages.add(p);
    } else packages.add(specifier);
  }
  return packages;
}

describe('the bundled CLI', () => {
  it('prints the package version, and nothing on stderr', () => {
    const result = cli('--version');

    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('loads no AWS SDK for --version: the entry imports only commander; commands load theirs when they run', () => {
    const packages = [...staticPackages(join(root, 'dist/connect-vault.mjs'))].filter(
      (p) => !p.startsWith('node:'),
    );

    expect(packages).toEqual(['commander']);
  });

  it('ends quietly when the reader of its output closes the pipe early (| head)', () => {
    // The shell's `connect-vault backup --help | head -c 10`: head exits after 10 bytes; the
    // status is connect-vault's own (PIPESTATUS[0]).
    const result = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${bin}" backup --help | head -c 10 >/dev/null; exit \${PIPESTATUS[0]}`],
      { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null' } },
    );

    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it('prints the exit-code contract in --help, and the kinds in a command’s help', () => {
    const result = cli('--help');
    const backup = cli('backup', '--help');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes (every command):');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /--kinds <list> +comma-separated kinds \(default: all\):\s+user-hierarchy-structure,/,
    );
  });

  it('runs a command through its lazily loaded chunk: a missing folder exits 2 with one sentence', async () => {
    const home = await mkdtemp(join(tmpdir(), 'connect-vault-bundle-'));
    try {
      const missing = join(home, 'nothing-here');
      const result = cli('snapshots', '--from', missing, '--instance-id', 'abc');

      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `connect-vault: No folder ${missing}: give --from s3://bucket/prefix or an existing folder.\n`,
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
