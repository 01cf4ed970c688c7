/**
 * `connect-vault export cloudformation`: a backup of the demo seed's demo-source becomes a
 * CloudFormation template that the AWS::Connect resource provider schemas accept (ajv, and
 * cfn-lint where it is installed), whose references resolve to what the snapshot held, with no
 * password; bad input exits 2 before anything is written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredDocument } from '#shared/kinds/index.js';
import { EXPORTABLE_KINDS, exportCloudFormation } from '#shared/migrate/export-cloudformation.js';
import { loadSnapshot } from '#shared/restore/snapshot-source.js';
import { S3SnapshotStore } from '#shared/snapshot/s3-store.js';
import type { ConnectEmulator, SeededInstance } from '../emulator/index.js';
import {
  backupOf,
  instanceNamed,
  startEmulatorAndFolder,
  stopEmulatorAndFolder,
  type TempFolder,
} from '../restore/support.js';
import { runCli } from '../support/cli.js';
import {
  cfnLint,
  cfnLintAvailable,
  type Deployment,
  resolve,
  schemaProblems,
  structuralProblems,
  type Template,
} from '../support/cloudformation-check.js';
import { type S3rverHandle, startS3rver } from '../support/s3rver.js';

let emulator: ConnectEmulator;
let folder: TempFolder;
let source: SeededInstance;
let snapshotId: string;
let work: string;
let documents: StoredDocument[];
/** The snapshot folder, as --from takes it. */
let snapshotFolder: string;

beforeAll(async () => {
  ({ emulator, folder } = await startEmulatorAndFolder('demo'));
  source = instanceNamed(emulator, 'demo-source');
  snapshotId = await backupOf(emulator, source, folder.store, '');
  snapshotFolder = join(folder.root, source.id, 'snapshots', snapshotId);
  work = await mkdtemp(join(tmpdir(), 'connect-vault-export-'));
  documents = [...(await loadSnapshot(folder.store, '', source.id, snapshotId)).documents.values()].flat();
}, 60_000);

afterAll(async () => {
  await stopEmulatorAndFolder(emulator, folder);
  await rm(work, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function exportTemplate(out: string, ...args: string[]) {
  const run = await runCli('export', 'cloudformation', '--out', out, ...args);
  const template = existsSync(out) ? (JSON.parse(await readFile(out, 'utf8')) as Template) : undefined;
  return { ...run, template };
}

const ofKind = (kind: string) => documents.filter((d) => d.kind === kind);
const exportMetadata = (template: Template) =>
  template.Metadata?.['ConnectVault::Export'] as {
    parameters: Record<string, string>;
    skipped: Array<{ kind: string; name: string; reason: string }>;
    leftOutQuickConnectLinks: Array<{ queue: string; quickConnect: string }>;
    users?: string;
  };
const logicalOf = (template: Template, kind: string, name: string) =>
  Object.entries(template.Resources).find(([, r]) => {
    const meta = r.Metadata?.ConnectVault as { kind: string; name: string } | undefined;
    return meta?.kind === kind && meta.name === name;
  })?.[0];

/** A deploy into the very instance the snapshot is of: every value is the snapshot's own. */
function deploymentIntoSource(template: Template): Deployment {
  return {
    parameters: { InstanceArn: source.arn, ...exportMetadata(template).parameters },
    arns: Object.fromEntries(
      Object.entries(template.Resources).map(([logical, r]) => [
        logical,
        (r.Metadata?.ConnectVault as { sourceArn: string } | undefined)?.sourceArn ?? '',
      ]),
    ),
    region: 'us-east-1',
    accountId: source.arn.split(':')[4] ?? '',
  };
}

/** A deploy into another account and Region: new ARNs for everything, the parameters given. */
function deploymentElsewhere(template: Template): Deployment {
  const instance = 'arn:aws:connect:eu-west-2:444455556666:instance/0a1b2c3d-0000-4000-8000-000000000001';
  const segments: Record<string, string> = {
    'AWS::Connect::ContactFlow': 'contact-flow',
    'AWS::Connect::ContactFlowModule': 'flow-module',
    'AWS::Connect::HoursOfOperation': 'operating-hours',
    'AWS::Connect::Queue': 'queue',
    'AWS::Connect::QuickConnect': 'transfer-destination',
    'AWS::Connect::RoutingProfile': 'routing-profile',
    'AWS::Connect::Prompt': 'prompt',
    'AWS::Connect::SecurityProfile': 'security-profile',
    'AWS::Connect::UserHierarchyGroup': 'agent-group',
    'AWS::Connect::User': 'agent',
  };
  const arns = Object.fromEntries(
    Object.entries(template.Resources).map(([logical, r], i) => [
      logical,
      r.Type === 'AWS::Connect::UserHierarchyStructure'
        ? `${instance}/user-hierarchy-structure`
        : `${instance}/${segments[r.Type]}/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    ]),
  );
  // What a person would type for each parameter: the source ARN, moved to the new account and instance.
  const parameters = Object.fromEntries(
    Object.entries(exportMetadata(template).parameters).map(([name, arn]) => [
      name,
      arn
        .replace(source.id, '0a1b2c3d-0000-4000-8000-000000000001')
        .replaceAll(':us-east-1:', ':eu-west-2:')
        .replace(/:\d{12}:/, ':444455556666:'),
    ]),
  );
  return { parameters: { InstanceArn: instance, ...parameters }, arns };
}

describe('connect-vault export cloudformation, the whole snapshot', () => {
  let out: string;
  let template: Template;
  let run: Awaited<ReturnType<typeof exportTemplate>>;

  beforeAll(async () => {
    out = join(work, 'all.json');
    run = await exportTemplate(out, '--from', snapshotFolder);
    template = run.template as Template;
  });

  it('writes every flow, module, hours, queue, routing profile, security profile, group and user, and says what it skipped', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const count = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type).length;
    expect(count('AWS::Connect::ContactFlow')).toBe(ofKind('flows').length);
    expect(count('AWS::Connect::ContactFlowModule')).toBe(ofKind('flow-modules').length);
    expect(count('AWS::Connect::HoursOfOperation')).toBe(ofKind('hours-of-operation').length);
    expect(count('AWS::Connect::Queue')).toBe(ofKind('queues').length);
    expect(count('AWS::Connect::RoutingProfile')).toBe(ofKind('routing-profiles').length);
    expect(count('AWS::Connect::SecurityProfile')).toBe(ofKind('security-profiles').length);
    expect(count('AWS::Connect::UserHierarchyGroup')).toBe(ofKind('user-hierarchy-groups').length);
    expect(count('AWS::Connect::UserHierarchyStructure')).toBe(1);
    expect(count('AWS::Connect::User')).toBe(ofKind('users').length);
    // FLOW quick connects have no CloudFormation type; the others are there.
    const flowQuickConnects = ofKind('quick-connects').filter(
      (d) => (d.resource.QuickConnectConfig as { QuickConnectType: string }).QuickConnectType === 'FLOW',
    );
    expect(flowQuickConnects.length).toBeGreaterThan(0);
    expect(count('AWS::Connect::QuickConnect')).toBe(
      ofKind('quick-connects').length - flowQuickConnects.length,
    );
    // A local folder is not where CloudFormation reads audio: every prompt is skipped, named.
    expect(count('AWS::Connect::Prompt')).toBe(0);
    const skipped = exportMetadata(template).skipped;
    expect(skipped.map((s) => `${s.kind}/${s.name}`).sort()).toEqual(
      [...ofKind('prompts'), ...flowQuickConnects].map((d) => `${d.kind}/${d.name}`).sort(),
    );
    for (const prompt of ofKind('prompts'))
      expect(run.stdout).toContain(`prompts "${prompt.name}": its audio`);
    expect(run.stdout).toContain(`Exported snapshot ${snapshotId}`);
  });

  it('passes the AWS::Connect provider schemas and its references all resolve, with no cycle', () => {
    expect(structuralProblems(template)).toEqual([]);
    expect(schemaProblems(template, deploymentElsewhere(template))).toEqual([]);
    expect(template.Parameters.InstanceArn?.Type).toBe('String');
    for (const [name, parameter] of Object.entries(template.Parameters)) {
      expect(parameter.Description, name).toMatch(/\S/);
      expect(name).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it('is checked by a checker that finds what CloudFormation would refuse', () => {
    const broken = structuredClone(template);
    const queue = broken.Resources.QueueSales as Template['Resources'][string];
    delete queue.Properties.HoursOfOperationArn;
    queue.Properties.Status = 'ON';
    queue.Properties.QueueArn = 'arn:x';
    (broken.Resources.FlowMainInboundIVR as Template['Resources'][string]).Properties.Name = {
      'Fn::GetAtt': ['QueueSales', 'ContactFlowArn'],
    };
    (broken.Resources.UserAdmin as Template['Resources'][string]).Properties.RoutingProfileArn = {
      Ref: 'NoSuchThing',
    };
    expect(structuralProblems(broken).sort()).toEqual([
      'FlowMainInboundIVR Name: ContactFlowArn is not an attribute (read-only property) of AWS::Connect::Queue',
      'QueueSales: QueueArn is read-only in AWS::Connect::Queue',
      'UserAdmin RoutingProfileArn: Ref NoSuchThing names no parameter or resource',
    ]);
    delete (broken.Resources.UserAdmin as Template['Resources'][string]).Properties.RoutingProfileArn;
    const problems = schemaProblems(broken, deploymentElsewhere(broken));
    expect(problems).toContain(
      "QueueSales (AWS::Connect::Queue) /: must have required property 'HoursOfOperationArn'",
    );
    expect(problems).toContain(
      'QueueSales (AWS::Connect::Queue) /Status: must be equal to one of the allowed values',
    );
    expect(problems).toContain(
      "UserAdmin (AWS::Connect::User) /: must have required property 'RoutingProfileArn'",
    );
  });

  it('passes cfn-lint when it is installed', async (context) => {
    if (!(await cfnLintAvailable())) context.skip();
    expect(await cfnLint(out)).toBe('');
  }, 180_000);

  it('gives back every flow content and reference of the snapshot when resolved with the source instance', () => {
    const deployment = deploymentIntoSource(template);
    for (const kind of ['flows', 'flow-modules']) {
      for (const document of ofKind(kind)) {
        const logical = logicalOf(template, kind, document.name) ?? '';
        const content = resolve(template.Resources[logical]?.Properties.Content, deployment);
        expect(content, document.name).toBe(document.resource.Content);
      }
    }
    // Embedded ARNs became Fn::Sub over the exported resources.
    const main =
      template.Resources[logicalOf(template, 'flows', 'Main Inbound IVR') ?? '']?.Properties.Content;
    expect(JSON.stringify(main)).toContain('.ContactFlowArn}');
    expect(JSON.stringify(main)).not.toContain(source.id);
    for (const document of ofKind('queues')) {
      const properties = resolve(
        template.Resources[logicalOf(template, 'queues', document.name) ?? '']?.Properties,
        deployment,
      ) as Record<string, unknown>;
      const hours = documents.find((d) => d.id === document.resource.HoursOfOperationId);
      expect(properties.HoursOfOperationArn).toBe(hours?.arn);
      const leftOut = exportMetadata(template)
        .leftOutQuickConnectLinks.filter((l) => l.queue === document.name)
        .map((l) => l.quickConnect);
      const linked = ((document.related?.quickConnectIds as string[] | undefined) ?? [])
        .map((id) => documents.find((d) => d.id === id))
        .filter((d) => !leftOut.includes(d?.name ?? ''))
        .map((d) => d?.arn);
      expect([...((properties.QuickConnectArns as string[] | undefined) ?? [])].sort()).toEqual(
        linked.sort(),
      );
    }
    for (const document of ofKind('users')) {
      const properties = resolve(
        template.Resources[logicalOf(template, 'users', document.name) ?? '']?.Properties,
        deployment,
      ) as Record<string, unknown>;
      expect(properties.RoutingProfileArn).toBe(
        documents.find((d) => d.id === document.resource.RoutingProfileId)?.arn,
      );
      expect(properties.SecurityProfileArns).toEqual(
        (document.resource.SecurityProfileIds as string[]).map(
          (id) => documents.find((d) => d.id === id)?.arn,
        ),
      );
    }
  });

  it('breaks reference cycles with named parameters, never by leaving a reference out silently', () => {
    const cycles = Object.entries(template.Parameters).filter(([, p]) =>
      p.Description?.includes('form a cycle CloudFormation cannot create in one stack'),
    );
    expect(cycles.length).toBeGreaterThan(0);
    for (const [name] of cycles)
      expect(exportMetadata(template).parameters[name]).toMatch(/^arn:aws:connect:/);
  });

  it('carries no password, and says users need one', async () => {
    const text = await readFile(out, 'utf8');
    expect(text).not.toMatch(/"Password"/);
    for (const [, r] of Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Connect::User'))
      expect(Object.keys(r.Properties)).not.toContain('Password');
    expect(template.Description).toContain('Users carry no password');
    expect(exportMetadata(template).users).toContain('CONNECT_MANAGED');
  });

  it('makes Lambda and Lex ARNs parameters without a mapping', () => {
    const parameters = exportMetadata(template).parameters;
    expect(parameters.LambdaCustomerLookupArn).toBe(
      'arn:aws:lambda:us-east-1:111122223333:function:CustomerLookup',
    );
    expect(parameters.LexBotAliasMAINMENU01PRODALIAS1Arn).toBe(
      'arn:aws:lex:us-east-1:111122223333:bot-alias/MAINMENU01/PRODALIAS1',
    );
  });
});

describe('exportCloudFormation, content', () => {
  it('keeps literal dollar-braces, bare ids, the instance id and AGENT queue ARNs exact through Fn::Sub', async () => {
    const snapshot = await loadSnapshot(folder.store, '', source.id, snapshotId);
    const flows = snapshot.documents.get('flows') ?? [];
    const flow = flows.find((d) => d.name === 'Main Inbound IVR') as StoredDocument;
    const user = ofKind('users')[0] as StoredDocument;
    const queue = ofKind('queues')[0] as StoredDocument;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} in flow content is the point
    const literal = 'Hello ${Customer.Name} and $${!x}';
    const content = JSON.parse(String(flow.resource.Content)) as { Metadata: Record<string, unknown> };
    content.Metadata.extra = {
      literal,
      agentQueue: `${source.arn}/queue/agent/${user.id}`,
      instance: source.id,
      queueId: queue.id,
      queueArnWithVersion: `${queue.arn}:$SAVED.`,
    };
    flow.resource.Content = JSON.stringify(content);
    const { template } = exportCloudFormation(snapshot, { kinds: ['flows', 'users', 'queues'] });
    const t = template as unknown as Template;
    const logical = logicalOf(t, 'flows', flow.name) ?? '';
    expect(structuralProblems(t)).toEqual([]);
    expect(resolve(t.Resources[logical]?.Properties.Content, deploymentIntoSource(t))).toBe(
      flow.resource.Content,
    );
    const elsewhere = deploymentElsewhere(t);
    const moved = JSON.parse(
      String(resolve(t.Resources[logical]?.Properties.Content, elsewhere)),
    ) as typeof content;
    const userLogical = logicalOf(t, 'users', user.name) ?? '';
    const queueLogical = logicalOf(t, 'queues', queue.name) ?? '';
    expect(moved.Metadata.extra).toEqual({
      literal,
      agentQueue: `${elsewhere.parameters.InstanceArn}/queue/agent/${elsewhere.arns[userLogical]?.split('/').pop()}`,
      instance: '0a1b2c3d-0000-4000-8000-000000000001',
      queueId: elsewhere.arns[queueLogical]?.split('/').pop(),
      queueArnWithVersion: `${elsewhere.arns[queueLogical]}:$SAVED.`,
    });
  });

  it('lists every exportable kind in --help', async () => {
    const help = await runCli('export', 'cloudformation', '--help');
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const kind of EXPORTABLE_KINDS) expect(text).toContain(kind);
  });
});

describe('connect-vault export cloudformation, choices and the mapping', () => {
  it('exports only the chosen queue, and makes what it references described parameters', async () => {
    const out = join(work, 'sales.json');
    const run = await exportTemplate(
      out,
      '--from',
      folder.root,
      '--instance-id',
      source.id,
      '--kinds',
      'queues',
      '--names',
      'Sales*',
    );
    expect(run.code).toBe(0);
    const template = run.template as Template;
    expect(Object.keys(template.Resources)).toEqual(['QueueSales']);
    const sales = ofKind('queues').find((d) => d.name === 'Sales') as StoredDocument;
    const hours = documents.find((d) => d.id === sales.resource.HoursOfOperationId) as StoredDocument;
    expect(template.Resources.QueueSales?.Properties.HoursOfOperationArn).toEqual({
      Ref: 'HoursSalesHoursArn',
    });
    expect(template.Parameters.HoursSalesHoursArn?.Description).toContain(`"${hours.name}"`);
    expect(template.Parameters.HoursSalesHoursArn?.Description).toContain(hours.arn);
    expect(structuralProblems(template)).toEqual([]);
    expect(schemaProblems(template, deploymentElsewhere(template))).toEqual([]);
  });

  it('resolves references outside the export through the mapping: arns, accounts, ids, promptAudio', async () => {
    const holiday = ofKind('prompts').find((d) => d.name === 'Holiday Closure.wav') as StoredDocument;
    const hours = ofKind('hours-of-operation').find((d) => d.name === 'Sales Hours') as StoredDocument;
    const mapping = join(work, 'mapping.yaml');
    await writeFile(
      mapping,
      [
        'accounts:',
        '  "111122223333": "444455556666"',
        'arns:',
        '  "arn:aws:lex:us-east-1:111122223333:bot-alias/MAINMENU01/PRODALIAS1": "arn:aws:lex:eu-west-2:444455556666:bot-alias/MENU02/PROD"',
        'ids:',
        `  "${hours.id}": "11111111-2222-4333-8444-555555555555"`,
        'promptAudio:',
        `  "${holiday.name}": "s3://audio-bucket/holiday.wav"`,
        '',
      ].join('\n'),
    );
    const out = join(work, 'mapped.json');
    const run = await exportTemplate(
      out,
      '--from',
      snapshotFolder,
      '--kinds',
      'flows',
      'flow-modules',
      'queues',
      'prompts',
      '--mapping',
      mapping,
    );
    expect(run.code).toBe(0);
    const template = run.template as Template;
    const names = Object.keys(template.Parameters);
    expect(names.filter((n) => n.startsWith('Lambda') || n.startsWith('LexBotAlias'))).toEqual([]);
    const text = JSON.stringify(template.Resources);
    expect(text).toContain('arn:aws:lambda:us-east-1:444455556666:function:CustomerLookup');
    expect(text).toContain('arn:aws:lex:eu-west-2:444455556666:bot-alias/MENU02/PROD');
    expect(template.Resources.QueueSales?.Properties.HoursOfOperationArn).toEqual({
      'Fn::Sub': `\${InstanceArn}/operating-hours/11111111-2222-4333-8444-555555555555`,
    });
    expect(template.Resources.PromptHolidayClosureWav?.Properties).toMatchObject({
      Name: holiday.name,
      S3Uri: 's3://audio-bucket/holiday.wav',
    });
    expect(structuralProblems(template)).toEqual([]);
    expect(schemaProblems(template, deploymentElsewhere(template))).toEqual([]);
  });
});

describe('connect-vault export cloudformation from a snapshot in S3', () => {
  let s3: S3rverHandle;

  beforeAll(async () => {
    s3 = await startS3rver();
    await writeFile(
      join(work, 'credentials'),
      ['[s3]', 'aws_access_key_id = S3RVER', 'aws_secret_access_key = S3RVER', ''].join('\n'),
    );
    await writeFile(join(work, 'config'), '');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(work, 'credentials'));
    vi.stubEnv('AWS_CONFIG_FILE', join(work, 'config'));
  }, 60_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await s3?.close();
  });

  it("exports prompts with the S3 location of the snapshot's own audio", async () => {
    const store = new S3SnapshotStore({ client: s3.client(), bucket: s3.bucket });
    const id = await backupOf(emulator, source, store, 'vault');
    const out = join(work, 'prompts.json');
    const run = await exportTemplate(
      out,
      '--from',
      `s3://${s3.bucket}/vault`,
      '--instance-id',
      source.id,
      '--snapshot',
      id,
      '--kinds',
      'prompts',
      '--region',
      'us-east-1',
      '--s3-profile',
      's3',
      '--s3-endpoint-url',
      s3.endpoint,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const template = run.template as Template;
    const prompts = Object.values(template.Resources);
    expect(prompts.map((p) => p.Properties.Name).sort()).toEqual(
      ofKind('prompts')
        .map((d) => d.name)
        .sort(),
    );
    for (const prompt of prompts) {
      const uri = String(prompt.Properties.S3Uri);
      const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
      expect(bucket).toBe(s3.bucket);
      expect(key).toMatch(new RegExp(`^vault/${source.id}/snapshots/${id}/prompts-audio/.+\\.wav$`));
      const object = await s3.client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect((await object.Body?.transformToByteArray())?.length).toBeGreaterThan(0);
    }
    expect(schemaProblems(template, deploymentElsewhere(template))).toEqual([]);
  }, 60_000);
});

describe('connect-vault export cloudformation, bad input', () => {
  it('exits 2 naming an unknown kind, a kind CloudFormation cannot hold, or a name no resource has; writes nothing', async () => {
    const out = join(work, 'never.json');
    const unknown = await exportTemplate(out, '--from', snapshotFolder, '--kinds', 'flowz');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown kind(s): flowz');
    const unexportable = await exportTemplate(out, '--from', snapshotFolder, '--kinds', 'agent-statuses');
    expect(unexportable.code).toBe(2);
    expect(unexportable.stderr).toContain('agent-statuses cannot be exported to CloudFormation');
    const name = await exportTemplate(out, '--from', snapshotFolder, '--kinds', 'queues', '--names', 'Nope*');
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('No queues of snapshot');
    expect(name.stderr).toContain('"Nope*"');
    const instance = await exportTemplate(out, '--from', folder.root);
    expect(instance.code).toBe(2);
    expect(instance.stderr).toContain('add --instance-id');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a tampered snapshot, before writing the template', async () => {
    const copy = join(work, 'tampered');
    const { cp } = await import('node:fs/promises');
    await cp(folder.root, copy, { recursive: true });
    const queue = ofKind('queues')[0] as StoredDocument;
    const manifest = JSON.parse(
      await readFile(join(copy, source.id, 'snapshots', snapshotId, 'manifest.json'), 'utf8'),
    ) as { objects: Array<{ id: string; key: string }> };
    const key = manifest.objects.find((o) => o.id === queue.id)?.key ?? '';
    const file = join(copy, source.id, 'snapshots', snapshotId, key);
    await writeFile(file, (await readFile(file, 'utf8')).replace(queue.name, `${queue.name} (changed)`));
    const out = join(work, 'tampered.json');
    const run = await exportTemplate(out, '--from', join(copy, source.id, 'snapshots', snapshotId));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('fails verification');
    expect(run.stderr).toContain('export another snapshot');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a bad mapping file', async () => {
    const mapping = join(work, 'bad-mapping.json');
    await writeFile(mapping, '{"arns": {"not-an-arn": "x"}}');
    const out = join(work, 'bad-mapping-out.json');
    const run = await exportTemplate(out, '--from', snapshotFolder, '--mapping', mapping);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Invalid mapping file ${mapping}`);
    expect(existsSync(out)).toBe(false);
  });
});
