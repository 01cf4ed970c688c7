import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // s3rver's paginated ListObjectsV2 uses DES continuation tokens (TOOLCHAIN.md).
    execArgv: ['--openssl-legacy-provider'],
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // The CLI tests run the bundle users run: build it first.
    globalSetup: ['./tests/support/build-cli.ts'],
  },
});
