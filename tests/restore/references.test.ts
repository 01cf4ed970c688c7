/** Reference remapping, rule by rule: what becomes a symbol, what is rewritten, what is unresolved. */
import { describe, expect, it } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import {
  type Finding,
  handlesIn,
  type RewriteContext,
  resolveSymbols,
  rewriteSource,
  SourceIndex,
  TargetSymbols,
} from '#shared/restore/references.js';

const SOURCE = {
  id: '11111111-1111-4111-8111-111111111111',
  arn: 'arn:aws:connect:us-east-1:111122223333:instance/11111111-1111-4111-8111-111111111111',
  region: 'us-east-1',
  accountId: '111122223333',
};
const TARGET = {
  id: '22222222-2222-4222-8222-222222222222',
  arn: 'arn:aws:connect:eu-west-2:444455556666:instance/22222222-2222-4222-8222-222222222222',
  region: 'eu-west-2',
  accountId: '444455556666',
};
const QUEUE_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const QUEUE_ARN = `${SOURCE.arn}/queue/${QUEUE_ID}`;
const FLOW_ID = 'aaaaaaaa-0000-4000-8000-000000000002';
const FLOW_ARN = `${SOURCE.arn}/contact-flow/${FLOW_ID}`;
const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:CustomerLookup';

function doc(kind: StoredDocument['kind'], id: string, arn: string, name: string): StoredDocument {
  return { kind, id, arn, name, resource: {} };
}

const index = new SourceIndex(SOURCE, [
  doc('queues', QUEUE_ID, QUEUE_ARN, 'Sales'),
  doc('flows', FLOW_ID, FLOW_ARN, 'Main'),
]);

function context(overrides: Partial<RewriteContext> = {}): RewriteContext {
  return { source: SOURCE, target: TARGET, sameInstance: false, index, mapping: {}, ...overrides };
}

function rewrite(value: unknown, ctx = context()): { value: unknown; findings: Finding[] } {
  const findings: Finding[] = [];
  return { value: rewriteSource(value, ctx, findings), findings };
}

describe('rewriteSource', () => {
  it('turns ids and ARNs of snapshot resources into symbols wherever they sit, qualifiers kept', () => {
    const { value, findings } = rewrite({
      Parameters: { QueueId: QUEUE_ARN, FlowModuleId: QUEUE_ID },
      Metadata: { text: `go to ${FLOW_ARN}:$SAVED.` },
      Attributes: [QUEUE_ID, SOURCE.id],
    });

    expect(findings).toEqual([]);
    expect(value).toEqual({
      Parameters: { QueueId: '\u27E6r0:arn\u27E7', FlowModuleId: '\u27E6r0:id\u27E7' },
      Metadata: { text: 'go to \u27E6r1:arn\u27E7:$SAVED.' },
      Attributes: ['\u27E6r0:id\u27E7', '\u27E6i:id\u27E7'],
    });
    expect([...handlesIn(value)].sort()).toEqual([0, 1]);
  });

  it('reports a Lambda ARN of the source account when no mapping moves it to the target account', () => {
    const { value, findings } = rewrite({ LambdaFunctionARN: LAMBDA });

    expect(value).toEqual({ LambdaFunctionARN: LAMBDA });
    expect(findings).toEqual([
      {
        path: 'LambdaFunctionARN',
        reference: LAMBDA,
        reason:
          "is in account 111122223333, not in the target's account 444455556666; rewrite the account with mappings.accounts or map the ARN with mappings.arns",
      },
    ]);
  });

  it('reports a source-account ARN whose account is mapped but whose Region is not, in a cross-Region restore', () => {
    const { findings } = rewrite(
      LAMBDA,
      context({ mapping: { accounts: { '111122223333': '444455556666' } } }),
    );

    expect(findings.map((f) => f.reason)).toEqual([
      "is in the source Region us-east-1, not in the target's Region eu-west-2; rewrite it with mappings.regions or map the ARN with mappings.arns",
    ]);
  });

  it('rewrites account and Region with the mapping, and takes explicit ARN and id maps as given', () => {
    const { value, findings } = rewrite(
      {
        a: LAMBDA,
        b: 'arn:aws:lex:us-east-1:111122223333:bot-alias/BOT/ALIAS',
        c: 'arn:aws:lambda:us-east-1:111122223333:function:Special',
        d: 'bbbbbbbb-0000-4000-8000-000000000009',
      },
      context({
        mapping: {
          accounts: { '111122223333': '444455556666' },
          regions: { 'us-east-1': 'eu-west-2' },
          arns: {
            'arn:aws:lambda:us-east-1:111122223333:function:Special':
              'arn:aws:lambda:eu-west-2:444455556666:function:Other',
          },
          ids: { 'bbbbbbbb-0000-4000-8000-000000000009': 'phone-in-target' },
        },
      }),
    );

    expect(findings).toEqual([]);
    expect(value).toEqual({
      a: 'arn:aws:lambda:eu-west-2:444455556666:function:CustomerLookup',
      b: 'arn:aws:lex:eu-west-2:444455556666:bot-alias/BOT/ALIAS',
      c: 'arn:aws:lambda:eu-west-2:444455556666:function:Other',
      d: 'phone-in-target',
    });
  });

  it("keeps a third account's ARN, and moves AWS-managed Connect ARNs to the target's Region", () => {
    const { value, findings } = rewrite({
      owned: 'arn:aws:lambda:eu-west-2:999988887777:function:Partner',
      view: 'arn:aws:connect:us-east-1:aws:view/after-contact-work:1',
    });

    expect(findings).toEqual([]);
    expect(value).toEqual({
      owned: 'arn:aws:lambda:eu-west-2:999988887777:function:Partner',
      view: 'arn:aws:connect:eu-west-2:aws:view/after-contact-work:1',
    });
  });

  it('reports a source-instance ARN that is not in the snapshot, and ARNs of other instances', () => {
    const missing = `${SOURCE.arn}/task-template/cccccccc-0000-4000-8000-000000000003`;
    const other =
      'arn:aws:connect:us-east-1:111122223333:instance/33333333-3333-4333-8333-333333333333/queue/x';
    const phone = 'arn:aws:connect:us-east-1:111122223333:phone-number/dddddddd-0000-4000-8000-000000000004';

    const { findings } = rewrite([missing, other, phone]);

    expect(findings.map((f) => [f.path, f.reference])).toEqual([
      ['[0]', missing],
      ['[1]', other],
      ['[2]', phone],
    ]);
  });

  it('names an AGENT queue ARN (`queue/agent/<id>`) of the source instance as such, and keeps it in the same instance', () => {
    const agentQueue = `${SOURCE.arn}/queue/agent/eeeeeeee-0000-4000-8000-000000000005`;

    const cross = rewrite({ QueueId: agentQueue });
    const same = rewrite({ QueueId: agentQueue }, context({ target: SOURCE, sameInstance: true }));

    expect(cross.findings.map((f) => [f.path, f.reference, f.reason])).toEqual([
      [
        'QueueId',
        agentQueue,
        'the AGENT queue eeeeeeee-0000-4000-8000-000000000005 of a user of the source instance is not in the snapshot (AGENT queues come with their users); map it with mappings.arns',
      ],
    ]);
    expect(same).toEqual({ value: { QueueId: agentQueue }, findings: [] });
  });

  it('keeps what the snapshot lacks when restoring into the same instance', () => {
    const missing = `${SOURCE.arn}/task-template/cccccccc-0000-4000-8000-000000000003`;
    const same = context({ target: SOURCE, sameInstance: true });

    const { value, findings } = rewrite([missing, LAMBDA], same);

    expect(findings).toEqual([]);
    expect(value).toEqual([missing, LAMBDA]);
  });
});

describe('TargetSymbols and resolveSymbols', () => {
  it('compare target ids as the symbols of the source resources they are matched to, and resolve back', () => {
    const symbols = new TargetSymbols(TARGET);
    const queue = {
      id: 'eeeeeeee-0000-4000-8000-000000000005',
      arn: `${TARGET.arn}/queue/eeeeeeee-0000-4000-8000-000000000005`,
    };
    symbols.add(0, queue);

    const seen = symbols.symbolize({
      q: queue.arn,
      id: queue.id,
      other: 'ffffffff-0000-4000-8000-000000000006',
      me: TARGET.id,
    });
    const source = rewrite({
      q: QUEUE_ARN,
      id: QUEUE_ID,
      other: 'ffffffff-0000-4000-8000-000000000006',
      me: SOURCE.id,
    }).value;
    const resolved = resolveSymbols(source, (h) => (h === 0 ? queue : undefined), TARGET);
    const dangling = resolveSymbols(
      { f: FLOW_ARN.replace(FLOW_ARN, '\u27E6r1:arn\u27E7') },
      () => undefined,
      TARGET,
    );

    expect(seen).toEqual(source);
    expect(resolved).toEqual({
      value: { q: queue.arn, id: queue.id, other: 'ffffffff-0000-4000-8000-000000000006', me: TARGET.id },
      missing: [],
    });
    expect(dangling.missing).toEqual([1]);
  });
});
