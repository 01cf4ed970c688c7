import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints CI's closing line, `N passed, N failed, N skipped`, after vitest's own summary.
 * Counts are of test cases, taken from the finished run, never assumed. With `SUMMARY_FILE` set,
 * also appends the counts to that file as one JSON line, so a CI that runs the suite more than once
 * (on two Node versions) can print the true total last.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed += 1;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    const file = process.env.SUMMARY_FILE;
    if (file) {
      appendFileSync(file, `${JSON.stringify({ node: process.version, passed, failed, skipped })}\n`);
    }
  }
}
