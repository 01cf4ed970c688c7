/** The restore function's IAM role: everything the restore calls, and nothing it does not. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KINDS } from '#shared/kinds/index.js';
import { cfnTags } from '../support/cloudformation.js';

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: unknown;
}

const statements = (() => {
  const doc = parse(readFileSync('infra/iam.yml', 'utf8'), { customTags: cfnTags }) as {
    Resources: Record<
      string,
      { Properties: { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> } }
    >;
  };
  const role = doc.Resources.RestoreRole;
  if (!role) throw new Error('no RestoreRole in infra/iam.yml');
  return role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
})();
const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('IAM of the restore function', () => {
  it("allows every operation the kinds read and write with, and the restore's own", () => {
    const needed = new Set([
      ...KINDS.flatMap((k) => [...k.readOperations, ...(k.restore?.writeOperations ?? [])]),
      'DescribeInstance',
      'ListInstanceAttributes',
      'ListApprovedOrigins',
      'ListLambdaFunctions',
      'ListBots',
      'GetPromptFile',
      'AssociateLambdaFunction',
      'AssociateBot',
      'UpdateInstanceAttribute',
      'AssociateApprovedOrigin',
    ]);

    for (const operation of needed) expect(actions, operation).toContain(`connect:${operation}`);
    expect(actions.filter((a) => a.startsWith('connect:')).length).toBe(needed.size);
  });

  it('deletes nothing, in Connect or S3, and has no wildcard action', () => {
    // Disassociating is for links a restore brings back to the snapshot (overwrite), never integrations.
    // The one delete: an hours' override the snapshot lacks. Overrides are part of one hours of
    // operation's configuration (no ARN, no tags, matched by name), so an overwrite removes them as
    // it disassociates queue configs; no resource of the registry is ever deleted.
    expect(actions.filter((a) => /:(Delete|Release)/.test(a))).toEqual([
      'connect:DeleteHoursOfOperationOverride',
    ]);
    expect(actions.filter((a) => a.includes(':Disassociate'))).toEqual([
      'connect:DisassociatePhoneNumberContactFlow',
      'connect:DisassociateQueueQuickConnects',
      'connect:DisassociateRoutingProfileQueues',
      'connect:DisassociateUserProficiencies',
    ]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('reads snapshots, writes only restore reports, and assumes only the target role name', () => {
    const byAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    // CloudFormation !Sub placeholders, written as `$<…>` here and turned into `${…}`.
    const sub = (text: string) => ({
      Sub: text.replace(/\$<([^>]+)>/g, (_m, name: string) => `\${${name}}`),
    });

    expect(byAction('s3:GetObject').map((s) => s.Resource)).toEqual([sub('$<BackupBucket.Arn>/*')]);
    expect(byAction('s3:PutObject').map((s) => s.Resource)).toEqual([
      sub('$<BackupBucket.Arn>/*restores/*/report.json'),
    ]);
    expect(byAction('sts:AssumeRole').map((s) => s.Resource)).toEqual([
      sub('arn:$<AWS::Partition>:iam::*:role/$<param:restoreTargetRoleName>'),
    ]);
  });
});
