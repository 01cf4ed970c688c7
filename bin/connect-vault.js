#!/usr/bin/env node
// The connect-vault command line: runs the bundle `npm run build` makes (plain JavaScript, no
// TypeScript compiler at start-up).

// The AWS SDK's documented switch for its Node-version notice (aws/aws-sdk-js-v3#7983): the notice
// is about SDK releases after January 2027, not this package's pinned SDK, and would print on every
// command. Set it to false to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/connect-vault.mjs');
process.exitCode = await main(process.argv);
