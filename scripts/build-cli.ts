/**
 * `npm run build`: bundles the CLI (shared/cli/main.ts and the core it uses) into
 * `dist/connect-vault.mjs`, which `bin/connect-vault.js` runs with plain Node (no TypeScript at
 * start-up). npm packages stay external: they are the package's `dependencies`. Each command's
 * action is a separate chunk under `dist/chunks/`, loaded only when that command runs, so
 * `--version` and `--help` load no AWS SDK.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');

/** Builds `dist/` afresh (old chunks removed). @throws when esbuild reports an error. */
export async function buildCli(): Promise<void> {
  const outdir = join(root, 'dist');
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { 'connect-vault': join(root, 'shared/cli/main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The oldest Node the package's engines allow.
    target: 'node20.19',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}

if (process.argv[1] === import.meta.filename) await buildCli();
