import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // s3rver's paginated ListObjectsV2 uses DES continuation tokens (TOOLCHAIN.md).
    execArgv: ['--openssl-legacy-provider'],
    // The SDK's documented switch for its notice about releases after January 2027 requiring Node 22
    // (aws/aws-sdk-js-v3#7983), as bin/connect-vault.js sets it: the suite also runs on Node 20.
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // The CLI tests run the bundle users run: build it first.
    globalSetup: ['./tests/support/build-cli.ts'],
  },
});
