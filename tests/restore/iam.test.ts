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
      ...KINDS.flatMap((k) => [
        ...k.readOperations,
        ...(k.restore?.writeOperations ?? []),
        ...(k.restore?.remove?.writeOperations ?? []),
      ]),
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

  it("deletes only what mode mirror's removals and an hours' overrides need, releases no phone number, and has no wildcard action", () => {
    // The deletes: mode mirror's removals (each kind's remove.writeOperations, a Delete per kind
    // Connect can delete) and an hours' override the snapshot lacks. Overrides are part of one hours
    // of operation's configuration (no ARN, no tags, matched by name), so an overwrite removes them
    // as it disassociates queue configs. A claimed phone number is never released.
    const removals = KINDS.flatMap((k) =>
      k.restore?.remove?.operation === 'delete' ? k.restore.remove.writeOperations : [],
    ).map((op) => `connect:${op}`);
    expect(removals.length).toBeGreaterThanOrEqual(12);
    expect(actions.filter((a) => /:(Delete|Release)/.test(a)).sort()).toEqual(
      [...removals, 'connect:DeleteHoursOfOperationOverride'].sort(),
    );
    expect(actions.filter((a) => /^s3:Delete/.test(a))).toEqual([]);
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
