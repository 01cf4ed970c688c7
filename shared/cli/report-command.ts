/**
 * `connect-vault report`: its options and help. What it does is in report-action.ts, loaded only
 * when the command runs.
 */
import { Command } from 'commander';
import { awsOptions } from './options.js';
import type { ReportOptions } from './report-action.js';

/** The `report` command. */
export function reportCommand(): Command {
  const command = new Command('report')
    .description(
      "Write a snapshot's report as one static HTML page: counts per kind, changes since the previous snapshot, verify status, warnings and the flow graph.",
    )
    .requiredOption('--from <location>', 'where snapshots are: s3://bucket/prefix or a folder')
    .requiredOption('--instance-id <id>', 'the instance whose snapshot to report')
    .option('--snapshot <id>', 'snapshot id, or latest', 'latest')
    .requiredOption('--out <file>', 'the HTML file to write (replaced if it exists)')
    .addHelpText(
      'after',
      `
Example:
  connect-vault report --from s3://my-bucket/connect-vault --instance-id 1a2b… --out report.html

The page is self-contained (styles and the graph's SVG inline, no script, nothing loaded from
elsewhere). Reads only the snapshots. A snapshot that is NOT INTACT is still reported, and exits 1;
no such snapshot, or an --out that is a folder or in a folder that does not exist, exits 2 having
written nothing.`,
    );
  for (const option of awsOptions) command.addOption(option);
  return command.action(async (options: ReportOptions) => {
    const { runReport } = await import('./report-action.js');
    await runReport(options);
  });
}
