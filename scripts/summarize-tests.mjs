// Prints one closing line over every tier's Vitest JSON report: "tests: N passed, N failed, N skipped",
// after a line for each failure (file, test and the first line of its error), so that the end of a long
// run's output says what failed without scrolling back through every tier.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const firstLine = (messages) => (messages?.[0] ?? '').split('\n').find((line) => line.trim() !== '') ?? '';
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    failures.push(`${file}: missing; that tier did not run to completion`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  for (const result of report.testResults) {
    const name = relative(process.cwd(), result.name);
    const failedTests = result.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failedTests) failures.push(`${name} > ${test.fullName}: ${firstLine(test.failureMessages)}`);
    // A file that failed outside any test (an import or hook error) has no failed test to count.
    if (result.status === 'failed' && failedTests.length === 0) {
      failures.push(`${name}: ${firstLine([result.message])}`);
      failed += 1;
    }
  }
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
for (const failure of failures) console.log(`FAILED ${failure.slice(0, 400)}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
