/**
 * A CloudFormation template of `AWS::Connect::*` resources from a verified snapshot: what the
 * Amazon Connect Migration Utilities make from an instance, made from a connect-vault snapshot
 * (issue 13 §2). Pure: the loaded snapshot's documents in, a template object and a summary out; no
 * AWS call, no clock, no file.
 *
 * - The instance the stack deploys into is the template parameter `InstanceArn`.
 * - A reference between two exported resources is `Fn::GetAtt` of the referenced resource's ARN
 *   attribute (its id, where Connect wants an id, is taken from that ARN with `Fn::Select` and
 *   `Fn::Split`). Flow and flow module content is `Fn::Sub` over those ARNs, so every embedded ARN
 *   of an exported resource (and of the instance) becomes the deployed one.
 * - A reference to anything outside the export (a resource not chosen, one CloudFormation cannot
 *   create, a Lambda function, a Lex bot alias, a phone number) is resolved through the restore
 *   mapping (`mappings.arns`, `mappings.ids`, `mappings.accounts` / `mappings.regions` for ARNs of
 *   other services, `mappings.phoneNumbers: "same"`), or else becomes a template parameter named
 *   after what it stands for and described with its source ARN.
 * - A reference cycle (queue ⇄ quick connect, flow ⇄ flow) cannot be created by one stack: a
 *   queue's quick-connect link in a cycle is left out and listed; any other reference in a cycle
 *   becomes a parameter that says so.
 * - Users carry no password, ever (the snapshot holds none): the template's Description and
 *   Metadata say that users need passwords set, or an instance with SAML or directory identities.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { KIND_NAMES, type KindName, type StoredDocument } from '#shared/kinds/index.js';
import type { Mapping } from '#shared/restore/request.js';
import type { LoadedSnapshot } from '#shared/restore/snapshot-source.js';

/** A CloudFormation template as JSON. */
export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Metadata: Record<string, unknown>;
  Parameters: Record<string, TemplateParameter>;
  Resources: Record<string, TemplateResource>;
}

/** A template parameter: always a String. */
export interface TemplateParameter {
  Type: 'String';
  Description: string;
  AllowedPattern?: string;
  ConstraintDescription?: string;
}

/** A template resource. */
export interface TemplateResource {
  Type: string;
  DependsOn?: string[];
  Metadata: { ConnectVault: { kind: KindName; name: string; sourceArn: string } };
  Properties: Record<string, unknown>;
}

/** What to export, and how to resolve what the export does not hold. */
export interface ExportRequest {
  /** Kinds to export (of {@link EXPORTABLE_KINDS}); every exportable kind when absent. */
  kinds?: readonly string[] | undefined;
  /** Name globs (picomatch); a resource is exported when its name matches any. */
  names?: readonly string[] | undefined;
  /** The restore mapping (parseMappingText's format). */
  mapping?: Mapping | undefined;
  /**
   * Where CloudFormation can read a prompt's audio, from the audio object's key relative to the
   * snapshot folder (e.g. `s3://bucket/<prefix>/<instance>/snapshots/<id>/prompts-audio/x.wav`
   * when the snapshot is in S3); undefined when it cannot (a local folder).
   */
  promptAudioUri?: ((relativeKey: string) => string | undefined) | undefined;
}

/** One exported resource. */
export interface ExportedResource {
  kind: KindName;
  name: string;
  logicalId: string;
  type: string;
}

/** A resource of the chosen ones that is not in the template, and why. */
export interface SkippedResource {
  kind: KindName;
  name: string;
  reason: string;
}

/** The template and what it holds. */
export interface ExportResult {
  template: CloudFormationTemplate;
  resources: ExportedResource[];
  /** Every parameter but `InstanceArn`, with its description. */
  parameters: Array<{ name: string; description: string }>;
  skipped: SkippedResource[];
  /** What the template leaves out or cannot say (drafts, links in cycles, limits). */
  warnings: string[];
}

/** Bad input to an export (unknown or unexportable kind, a name glob that matches nothing). */
export class ExportInputError extends Error {
  override readonly name = 'ExportInputError';
}

interface KindExport {
  type: string;
  prefix: string;
  arnAttribute: string;
  /** The ARN segment after `instance/<id>/`. */
  segment: string;
  label: string;
}

/** The kinds a template can hold, with their CloudFormation types, in dependency order. */
const EXPORTS = {
  'user-hierarchy-structure': {
    type: 'AWS::Connect::UserHierarchyStructure',
    prefix: 'HierarchyStructure',
    arnAttribute: 'UserHierarchyStructureArn',
    segment: 'user-hierarchy-structure',
    label: 'hierarchy structure',
  },
  'user-hierarchy-groups': {
    type: 'AWS::Connect::UserHierarchyGroup',
    prefix: 'HierarchyGroup',
    arnAttribute: 'UserHierarchyGroupArn',
    segment: 'agent-group',
    label: 'hierarchy group',
  },
  'hours-of-operation': {
    type: 'AWS::Connect::HoursOfOperation',
    prefix: 'Hours',
    arnAttribute: 'HoursOfOperationArn',
    segment: 'operating-hours',
    label: 'hours of operation',
  },
  prompts: {
    type: 'AWS::Connect::Prompt',
    prefix: 'Prompt',
    arnAttribute: 'PromptArn',
    segment: 'prompt',
    label: 'prompt',
  },
  'security-profiles': {
    type: 'AWS::Connect::SecurityProfile',
    prefix: 'SecurityProfile',
    arnAttribute: 'SecurityProfileArn',
    segment: 'security-profile',
    label: 'security profile',
  },
  flows: {
    type: 'AWS::Connect::ContactFlow',
    prefix: 'Flow',
    arnAttribute: 'ContactFlowArn',
    segment: 'contact-flow',
    label: 'flow',
  },
  'flow-modules': {
    type: 'AWS::Connect::ContactFlowModule',
    prefix: 'FlowModule',
    arnAttribute: 'ContactFlowModuleArn',
    segment: 'flow-module',
    label: 'flow module',
  },
  queues: {
    type: 'AWS::Connect::Queue',
    prefix: 'Queue',
    arnAttribute: 'QueueArn',
    segment: 'queue',
    label: 'queue',
  },
  'routing-profiles': {
    type: 'AWS::Connect::RoutingProfile',
    prefix: 'RoutingProfile',
    arnAttribute: 'RoutingProfileArn',
    segment: 'routing-profile',
    label: 'routing profile',
  },
  users: {
    type: 'AWS::Connect::User',
    prefix: 'User',
    arnAttribute: 'UserArn',
    segment: 'agent',
    label: 'user',
  },
  'quick-connects': {
    type: 'AWS::Connect::QuickConnect',
    prefix: 'QuickConnect',
    arnAttribute: 'QuickConnectArn',
    segment: 'transfer-destination',
    label: 'quick connect',
  },
} as const satisfies Partial<Record<KindName, KindExport>>;

/** A kind a template can hold. */
export type ExportableKind = keyof typeof EXPORTS;

/** The kinds a template can hold, in dependency order. */
export const EXPORTABLE_KINDS = Object.keys(EXPORTS) as ExportableKind[];

const kindBySegment = new Map<string, ExportableKind>(
  EXPORTABLE_KINDS.map((kind) => [EXPORTS[kind].segment, kind]),
);

/** What the template says of users and passwords, in its Description and Metadata. */
export const USERS_NOTE =
  'Users carry no password (connect-vault never stores one): on an instance whose identity management is CONNECT_MANAGED, set each password after the stack is created, or deploy users into an instance with SAML or an existing directory.';

const INSTANCE_ARN_PATTERN = '^arn:aws[-a-z0-9]*:connect:[-a-z0-9]*:[0-9]{12}:instance/[-a-zA-Z0-9]+$';
const ARN_SOURCE = 'arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\\d{12}|aws)?:[A-Za-z0-9/_.:$@+=*#-]+';
const UUID_SOURCE =
  '(?<![0-9A-Za-z-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z-])';
const ARN_PARTS = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;
/** `instance/<id>[/<segment>/<resourceId>[<suffix>]]`; an AGENT queue's segment is `queue/agent`. */
const INSTANCE_RESOURCE = /^instance\/([^/]+)(?:\/(queue\/agent|[^/]+)\/([^/:]+)(.*))?$/;
const LEVELS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;
/** Most cycle-breaking rounds (each breaks one edge of every cycle it finds). */
const MAX_ROUNDS = 1000;

/** CloudFormation's limits on one template (quotas that cannot be raised, and body size via S3). */
const LIMITS = { resources: 500, parameters: 200, bytes: 1_000_000 };

/** A piece of a value that will be deployed: a literal string, or an intrinsic. */
type Expr = string | Record<string, unknown>;

/** A reference edge between two exported resources; `kind` says how it may be broken. */
interface Edge {
  from: string;
  to: string;
  kind: 'link' | 'content' | 'property';
}

interface ParameterSource {
  description: string;
  source: string;
  pattern?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function own(map: Record<string, string> | undefined, key: string): string | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** `Words Of A Name` → `WordsOfAName`: letters and digits only, as logical ids and parameter names need. */
function pascal(text: string): string {
  return text
    .normalize('NFKD')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
    .slice(0, 180);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8).toUpperCase();
}

/** CloudFormation tags from a Connect tag map; `aws:` tags are Connect's own and left out. */
function tagList(tags: unknown): Array<{ Key: string; Value: string }> | undefined {
  const map = asRecord(tags);
  if (!map) return undefined;
  const list = Object.entries(map)
    .filter(([key, value]) => !key.startsWith('aws:') && typeof value === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, Value]) => ({ Key, Value: Value as string }));
  return list.length ? list : undefined;
}

/** Drops members whose value is undefined (CloudFormation has no null for "not set"). */
function defined(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}

/** `${` in a Fn::Sub string is a variable; a literal one is written `${!`. */
function subLiteral(text: string): string {
  return text.replaceAll('${', '${!');
}

/** The id part of a deployed ARN: the segment at `index` of the ARN split on `/`. */
function idFrom(arn: Expr, index: number): Expr {
  return { 'Fn::Select': [index, { 'Fn::Split': ['/', arn] }] };
}

/** Identity of the snapshot's instance, as ARNs embed it. */
interface SourceInstance {
  id: string;
  arn: string;
  partition: string;
  region: string;
  accountId: string;
  alias: string | undefined;
}

function sourceInstanceOf(snapshot: LoadedSnapshot): SourceInstance {
  const instance = snapshot.instanceDocument?.instance ?? {};
  const id = str(instance.Id) ?? snapshot.manifest.instance.id;
  const arn = str(instance.Arn) ?? snapshot.manifest.instance.arn;
  const parts = ARN_PARTS.exec(arn ?? '');
  return {
    id,
    arn: arn ?? '',
    partition: parts?.[1] ?? 'aws',
    region: parts?.[3] ?? '',
    accountId: parts?.[4] ?? '',
    alias: str(instance.InstanceAlias) ?? snapshot.manifest.instance.alias,
  };
}

/**
 * Chooses the documents to export.
 * @throws ExportInputError for an unknown or unexportable kind, a glob that matches nothing, or a
 *   choice that holds no resource.
 */
function chosenDocuments(snapshot: LoadedSnapshot, request: ExportRequest): StoredDocument[] {
  const kinds = request.kinds ? [...new Set(request.kinds)] : EXPORTABLE_KINDS;
  const unknown = kinds.filter((k) => !(KIND_NAMES as readonly string[]).includes(k));
  if (unknown.length)
    throw new ExportInputError(
      `Unknown kind(s): ${unknown.join(', ')}. Kinds a CloudFormation export holds: ${EXPORTABLE_KINDS.join(', ')}`,
    );
  const unexportable = kinds.filter((k) => !Object.hasOwn(EXPORTS, k));
  if (unexportable.length)
    throw new ExportInputError(
      `Kind(s) ${unexportable.join(', ')} cannot be exported to CloudFormation. Kinds a CloudFormation export holds: ${EXPORTABLE_KINDS.join(', ')}`,
    );
  const candidates = EXPORTABLE_KINDS.filter((k) => kinds.includes(k)).flatMap(
    (kind) => snapshot.documents.get(kind) ?? [],
  );
  const names = request.names ? [...request.names] : undefined;
  if (!names) {
    if (!candidates.length)
      throw new ExportInputError(`The snapshot holds no ${kinds.join(', ')}: nothing to export.`);
    return candidates;
  }
  const matchers = names.map((glob) => ({ glob, match: picomatch(glob, { dot: true }) }));
  const unmatched = matchers.filter(({ match }) => !candidates.some((d) => match(d.name)));
  if (unmatched.length)
    throw new ExportInputError(
      `No ${kinds.length === EXPORTABLE_KINDS.length ? 'resource' : kinds.join(', ')} of snapshot ${snapshot.manifest.snapshotId} is named ${unmatched.map((m) => JSON.stringify(m.glob)).join(', ')} (connect-vault show lists the names).`,
    );
  return candidates.filter((d) => matchers.some(({ match }) => match(d.name)));
}

/**
 * Builds the template of the chosen resources of a loaded (verified) snapshot.
 *
 * @param snapshot - As `loadSnapshot` returns it: verified, every document parsed.
 * @throws ExportInputError for bad choices (see {@link ExportRequest}); nothing else.
 */
export function exportCloudFormation(snapshot: LoadedSnapshot, request: ExportRequest = {}): ExportResult {
  const chosen = chosenDocuments(snapshot, request);
  const broken = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const build = new TemplateBuilder(snapshot, request, chosen, broken);
    const result = build.run();
    const cycle = findCycle(build.edges);
    if (!cycle) return result;
    // Break the weakest edge of the cycle: a queue's quick-connect link, then content, then a property.
    const rank = { link: 0, content: 1, property: 2 } as const;
    const weakest = [...cycle].sort((a, b) => rank[a.kind] - rank[b.kind])[0];
    if (!weakest) return result;
    broken.add(`${weakest.from}\u0000${weakest.to}`);
  }
  throw new Error('export cloudformation: the reference cycles could not be broken');
}

/** One edge of a cycle in the graph, or undefined when it has none (iterative DFS). */
function findCycle(edges: readonly Edge[]): Edge[] | undefined {
  const out = new Map<string, Edge[]>();
  for (const edge of edges) {
    if (edge.from === edge.to) return [edge];
    out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  }
  const state = new Map<string, 'open' | 'done'>();
  for (const start of [...out.keys()].sort()) {
    if (state.has(start)) continue;
    const path: Edge[] = [];
    const stack: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1] as { node: string; next: number };
      const edge = out.get(top.node)?.[top.next];
      if (!edge) {
        state.set(top.node, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      top.next++;
      const seen = state.get(edge.to);
      if (seen === 'open') {
        const at = path.findIndex((e) => e.from === edge.to);
        return [...path.slice(at === -1 ? path.length : at), edge];
      }
      if (seen === 'done') continue;
      state.set(edge.to, 'open');
      path.push(edge);
      stack.push({ node: edge.to, next: 0 });
    }
  }
  return undefined;
}

/** One build of the template, for a given set of broken edges. */
class TemplateBuilder {
  readonly edges: Edge[] = [];
  readonly #source: SourceInstance;
  readonly #mapping: Mapping;
  readonly #byIdOrArn = new Map<string, StoredDocument>();
  readonly #logical = new Map<StoredDocument, string>();
  readonly #parameters = new Map<string, ParameterSource>();
  readonly #parameterFor = new Map<string, string>();
  readonly #skipped: SkippedResource[] = [];
  readonly #warnings: string[] = [];
  readonly #leftOutLinks: Array<{ queue: string; quickConnect: string }> = [];
  #current = '';

  constructor(
    readonly snapshot: LoadedSnapshot,
    readonly request: ExportRequest,
    readonly chosen: readonly StoredDocument[],
    readonly broken: ReadonlySet<string>,
  ) {
    this.#source = sourceInstanceOf(snapshot);
    this.#mapping = request.mapping ?? {};
    for (const list of snapshot.documents.values()) {
      for (const document of list) {
        this.#byIdOrArn.set(document.id, document);
        this.#byIdOrArn.set(document.arn, document);
      }
    }
  }

  run(): ExportResult {
    const exported = this.chosen.filter((document) => {
      const reason = this.#skipReason(document);
      if (reason) this.#skipped.push({ kind: document.kind, name: document.name, reason });
      return !reason;
    });
    const used = new Set<string>();
    for (const document of exported) {
      const base = `${EXPORTS[document.kind as ExportableKind].prefix}${pascal(document.name) || shortHash(document.id)}`;
      let id = base;
      if (used.has(id)) id = `${base}${shortHash(document.id)}`;
      used.add(id);
      this.#logical.set(document, id);
    }
    const resources: Record<string, TemplateResource> = {};
    const listed: ExportedResource[] = [];
    for (const document of exported) {
      const kind = document.kind as ExportableKind;
      const logicalId = this.#logical.get(document) ?? '';
      this.#current = logicalId;
      const properties = defined({ InstanceArn: { Ref: 'InstanceArn' }, ...this.#properties(document) });
      const dependsOn = this.#dependsOn(document);
      resources[logicalId] = {
        Type: EXPORTS[kind].type,
        ...(dependsOn.length ? { DependsOn: dependsOn } : {}),
        Metadata: { ConnectVault: { kind, name: document.name, sourceArn: document.arn } },
        Properties: properties,
      };
      listed.push({ kind, name: document.name, logicalId, type: EXPORTS[kind].type });
    }
    this.#noteDrafts(exported);
    const parameters = [...this.#parameters.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const from = `${this.#source.alias ?? this.#source.id} (${this.#source.id})`;
    const hasUsers = exported.some((d) => d.kind === 'users');
    const template: CloudFormationTemplate = {
      AWSTemplateFormatVersion: '2010-09-09',
      Description:
        `Amazon Connect resources exported by connect-vault from snapshot ${this.snapshot.manifest.snapshotId} of instance ${from}.${hasUsers ? ` ${USERS_NOTE}` : ''}`.slice(
          0,
          1024,
        ),
      Metadata: {
        'ConnectVault::Export': {
          snapshotId: this.snapshot.manifest.snapshotId,
          sourceInstance: { id: this.#source.id, arn: this.#source.arn, alias: this.#source.alias },
          ...(hasUsers ? { users: USERS_NOTE } : {}),
          parameters: Object.fromEntries(parameters.map(([name, p]) => [name, p.source])),
          skipped: this.#skipped,
          leftOutQuickConnectLinks: this.#leftOutLinks,
          warnings: this.#warnings,
        },
      },
      Parameters: {
        InstanceArn: {
          Type: 'String',
          Description: 'ARN of the Amazon Connect instance to create the resources in',
          AllowedPattern: INSTANCE_ARN_PATTERN,
          ConstraintDescription: 'an instance ARN, arn:aws:connect:<region>:<account>:instance/<id>',
        },
        ...Object.fromEntries(
          parameters.map(([name, p]) => [
            name,
            defined({
              Type: 'String',
              Description: p.description.slice(0, 4000),
              AllowedPattern: p.pattern,
            }) as unknown as TemplateParameter,
          ]),
        ),
      },
      Resources: resources,
    };
    this.#checkLimits(template);
    return {
      template,
      resources: listed,
      parameters: parameters.map(([name, p]) => ({ name, description: p.description })),
      skipped: this.#skipped,
      warnings: this.#warnings,
    };
  }

  #skipReason(document: StoredDocument): string | undefined {
    const resource = document.resource;
    if (document.kind === 'quick-connects') {
      const type = asRecord(resource.QuickConnectConfig)?.QuickConnectType;
      if (type !== 'USER' && type !== 'QUEUE' && type !== 'PHONE_NUMBER')
        return `a ${String(type)} quick connect: AWS::Connect::QuickConnect has no ${String(type)} type (PHONE_NUMBER, QUEUE and USER only)`;
    }
    if (document.kind === 'prompts' && !this.#promptUri(document))
      return 'its audio is not where CloudFormation can read it: give its s3:// location in the mapping (promptAudio), or export from the snapshot in S3';
    if ((document.kind === 'flows' || document.kind === 'flow-modules') && !str(resource.Content))
      return 'it has no content';
    return undefined;
  }

  #promptUri(document: StoredDocument): string | undefined {
    const mapped = own(this.#mapping.promptAudio, document.name);
    if (mapped) return mapped;
    const object = this.snapshot.manifest.objects.find(
      (o) => o.kind === 'prompts-audio' && o.id === document.id,
    );
    return object ? this.request.promptAudioUri?.(object.key) : undefined;
  }

  #dependsOn(document: StoredDocument): string[] {
    if (document.kind !== 'user-hierarchy-groups') return [];
    // Groups need the levels: the structure first, when it is exported too.
    const structure = [...this.#logical.entries()].find(([d]) => d.kind === 'user-hierarchy-structure');
    return structure ? [structure[1]] : [];
  }

  #noteDrafts(exported: readonly StoredDocument[]): void {
    const drafts = exported.filter((d) => d.related?.savedContent !== undefined).map((d) => d.name);
    if (drafts.length)
      this.#warnings.push(
        `unpublished changes (drafts) are not in the template, only the published content: ${drafts.join(', ')}`,
      );
    const unpublished = exported
      .filter((d) => (d.kind === 'flows' || d.kind === 'flow-modules') && d.resource.Status === 'SAVED')
      .map((d) => d.name);
    if (unpublished.length)
      this.#warnings.push(
        `never published in the source, created published by CloudFormation: ${unpublished.join(', ')}`,
      );
    if (
      exported.some((d) => d.kind === 'users' && (d.related?.proficiencies as unknown[] | undefined)?.length)
    )
      this.#warnings.push(
        "users' proficiencies name predefined attributes, which the template does not create: they must exist in the target instance",
      );
  }

  #checkLimits(template: CloudFormationTemplate): void {
    const resources = Object.keys(template.Resources).length;
    const parameters = Object.keys(template.Parameters).length;
    const bytes = Buffer.byteLength(JSON.stringify(template));
    if (resources > LIMITS.resources)
      this.#warnings.push(
        `${resources} resources: CloudFormation allows ${LIMITS.resources} a stack; export fewer with --kinds or --names`,
      );
    if (parameters > LIMITS.parameters)
      this.#warnings.push(
        `${parameters} parameters: CloudFormation allows ${LIMITS.parameters}; resolve some in the mapping, or export the resources they stand for too`,
      );
    if (bytes > LIMITS.bytes)
      this.#warnings.push(
        `the template is ${bytes} bytes: CloudFormation reads at most ${LIMITS.bytes} (from S3); export fewer resources`,
      );
  }

  // ---- references -------------------------------------------------------------------------

  /** The logical id of an exported document, unless the edge to it from the current resource is broken. */
  #exported(document: StoredDocument | undefined, kind: Edge['kind']): string | undefined {
    const logical = document ? this.#logical.get(document) : undefined;
    if (!logical) return undefined;
    if (this.broken.has(`${this.#current}\u0000${logical}`)) return undefined;
    this.edges.push({ from: this.#current, to: logical, kind });
    return logical;
  }

  #inCycle(document: StoredDocument | undefined): boolean {
    const logical = document ? this.#logical.get(document) : undefined;
    return logical !== undefined && this.broken.has(`${this.#current}\u0000${logical}`);
  }

  /** A parameter standing for `source` (an ARN), created once. */
  #parameter(source: string, name: string, description: string, pattern?: string): string {
    const known = this.#parameterFor.get(source);
    if (known) return known;
    let parameter = name;
    const taken = (n: string) => n === 'InstanceArn' || this.#parameters.has(n);
    if (taken(parameter)) parameter = `${name}${shortHash(source)}`;
    this.#parameters.set(parameter, { description, source, ...(pattern ? { pattern } : {}) });
    this.#parameterFor.set(source, parameter);
    return parameter;
  }

  /** The source ARN of a Connect resource of the source instance, by kind and id. */
  #sourceArn(kind: ExportableKind, id: string): string {
    return `${this.#source.arn}/${EXPORTS[kind].segment}/${id}`;
  }

  /**
   * A reference to a Connect resource of the source instance (an id or ARN of `kind`), as the
   * deployed value: GetAtt of an exported resource, the mapping, or a parameter.
   */
  #connectRef(kind: ExportableKind, idOrArn: string, edge: Edge['kind']): Expr {
    const document = this.#byIdOrArn.get(idOrArn);
    const arn = document?.arn ?? (idOrArn.startsWith('arn:') ? idOrArn : this.#sourceArn(kind, idOrArn));
    const logical = this.#exported(document, edge);
    if (logical) return { 'Fn::GetAtt': [logical, EXPORTS[kind].arnAttribute] };
    return this.#outside(kind, arn, document);
  }

  /** An ARN of the source instance's resource that the template does not create. */
  #outside(kind: ExportableKind | undefined, arn: string, document: StoredDocument | undefined): Expr {
    const mapped = own(this.#mapping.arns, arn);
    if (mapped) return mapped;
    const parsed = INSTANCE_RESOURCE.exec(ARN_PARTS.exec(arn)?.[5] ?? '');
    const segment = parsed?.[2];
    const id = parsed?.[3];
    const mappedId = id ? own(this.#mapping.ids, id) : undefined;
    if (mappedId && segment) return { 'Fn::Sub': `\${InstanceArn}/${segment}/${subLiteral(mappedId)}` };
    const label = kind ? EXPORTS[kind].label : (segment ?? 'resource');
    const name = document?.name;
    const skipped =
      document && this.#skipped.find((s) => s.kind === document.kind && s.name === document.name);
    const why = this.#inCycle(document)
      ? `it is in this template too (${this.#logical.get(document as StoredDocument)}), but the references form a cycle CloudFormation cannot create in one stack: give an existing ${label}'s ARN, then update the stack with the created one`
      : skipped
        ? `it is not in this template (${skipped.reason})`
        : document
          ? 'it is not in this export'
          : 'it is not in the snapshot';
    const description = `ARN of the ${label}${name ? ` "${name}"` : ''} in the target instance: ${why}. Source: ${arn}`;
    const base = `${kind ? EXPORTS[kind].prefix : pascal(segment ?? 'Resource')}${pascal(name ?? id ?? '') || shortHash(arn)}Arn`;
    return { Ref: this.#parameter(arn, base, description, '^arn:') };
  }

  /** The id of a referenced resource (where Connect wants an id), from its deployed ARN. */
  #connectId(kind: ExportableKind, idOrArn: string, edge: Edge['kind']): Expr {
    const value = this.#connectRef(kind, idOrArn, edge);
    const mappedId = own(this.#mapping.ids, idOrArn);
    if (typeof value === 'string') return value.split('/').pop() ?? value;
    if (!('Fn::GetAtt' in value) && mappedId) return mappedId;
    return idFrom(value, 3);
  }

  /** A phone number of the source account, by id: mapped, kept (`phoneNumbers: "same"`) or a parameter. */
  #phoneNumberArn(id: string): Expr {
    const document = this.#byIdOrArn.get(id);
    const arn =
      document?.arn ??
      `arn:${this.#source.partition}:connect:${this.#source.region}:${this.#source.accountId}:phone-number/${id}`;
    const mapped = own(this.#mapping.arns, arn);
    if (mapped) return mapped;
    const mappedId = own(this.#mapping.ids, id);
    if (mappedId)
      return {
        'Fn::Sub': `arn:\${AWS::Partition}:connect:\${AWS::Region}:\${AWS::AccountId}:phone-number/${subLiteral(mappedId)}`,
      };
    if (this.#mapping.phoneNumbers === 'same') return arn;
    const number = document?.name;
    const target =
      number && typeof this.#mapping.phoneNumbers === 'object'
        ? own(this.#mapping.phoneNumbers, number)
        : undefined;
    const description = `ARN of the phone number${number ? ` ${number}` : ''} to use in the target account${target ? ` (the mapping names ${target})` : ''}: phone numbers are claimed, not created by this template. Source: ${arn}`;
    return { Ref: this.#parameter(arn, `PhoneNumber${pascal(number ?? id)}Arn`, description, '^arn:') };
  }

  /**
   * An ARN of another service (Lambda, Lex, …) or an account-level Connect resource: the mapping,
   * the account and Region rewrites, or a parameter.
   */
  #foreignArn(arn: string): Expr {
    const mapped = own(this.#mapping.arns, arn);
    if (mapped) return mapped;
    const parts = ARN_PARTS.exec(arn);
    if (!parts) return arn;
    const [, partition, service = '', region = '', account = '', resource = ''] = parts;
    if (service === 'connect' && (account === 'aws' || account === '')) {
      // AWS-managed Connect resources exist in every Region: follow the stack's.
      return region === this.#source.region
        ? { 'Fn::Sub': `arn:\${AWS::Partition}:connect:\${AWS::Region}:${account}:${subLiteral(resource)}` }
        : arn;
    }
    if (service === 'connect' && resource.startsWith('phone-number/'))
      return this.#phoneNumberArn(resource.slice('phone-number/'.length));
    const newAccount = own(this.#mapping.accounts, account);
    const newRegion = region ? own(this.#mapping.regions, region) : undefined;
    if (newAccount || newRegion)
      return `arn:${partition}:${service}:${newRegion ?? region}:${newAccount ?? account}:${resource}`;
    if (account !== this.#source.accountId) return arn;
    const label =
      service === 'lambda' ? 'Lambda function' : service === 'lex' ? 'Lex bot alias' : `${service} resource`;
    const prefix = service === 'lambda' ? 'Lambda' : service === 'lex' ? 'LexBotAlias' : pascal(service);
    const short = resource.replace(/^(function|bot-alias):/, '').replace(/^bot-alias\//, '');
    const description = `ARN of the ${label} to use in place of ${arn} (the source account's): map it in the mapping file (arns, or accounts and regions), or give it here. Flows can invoke only functions and bots associated with the instance.`;
    return {
      Ref: this.#parameter(arn, `${prefix}${pascal(short) || shortHash(arn)}Arn`, description, '^arn:'),
    };
  }

  /**
   * A string of flow or flow module content, or any text that may embed ids and ARNs, as a
   * deployed value: itself when it holds none, else `Fn::Sub`.
   */
  #text(text: string): Expr {
    const variables: Record<string, Expr> = {};
    let substituted = false;
    const pattern = new RegExp(`(${ARN_SOURCE})|(${UUID_SOURCE})`, 'g');
    let out = '';
    let last = 0;
    const put = (expr: Expr) => {
      if (typeof expr === 'string') {
        out += subLiteral(expr);
        return;
      }
      substituted = true;
      if ('Ref' in expr) out += `\${${String(expr.Ref)}}`;
      else if ('Fn::GetAtt' in expr) out += `\${${(expr['Fn::GetAtt'] as string[]).join('.')}}`;
      else if ('Fn::Sub' in expr && typeof expr['Fn::Sub'] === 'string') out += expr['Fn::Sub'];
      else {
        const name = `IdOf${Object.keys(variables).length + 1}`;
        variables[name] = expr;
        out += `\${${name}}`;
      }
    };
    for (const match of text.matchAll(pattern)) {
      const at = match.index ?? 0;
      out += subLiteral(text.slice(last, at));
      const [whole, rawArn, uuid] = match;
      last = at + whole.length;
      if (uuid !== undefined) {
        put(this.#embeddedId(uuid));
        continue;
      }
      const arn = (rawArn ?? '').replace(/[.:]+$/, '');
      put(this.#embeddedArn(arn));
      out += subLiteral(whole.slice(arn.length));
    }
    out += subLiteral(text.slice(last));
    if (!substituted) return text;
    return Object.keys(variables).length ? { 'Fn::Sub': [out, variables] } : { 'Fn::Sub': out };
  }

  /** A bare id in content: the instance's, an exported resource's, a mapped one, or left as it is. */
  #embeddedId(id: string): Expr {
    const mapped = own(this.#mapping.ids, id);
    if (mapped) return mapped;
    if (id === this.#source.id) return idFrom({ Ref: 'InstanceArn' }, 1);
    const document = this.#byIdOrArn.get(id);
    const kind = document?.kind;
    if (!document || !kind || !Object.hasOwn(EXPORTS, kind) || document.id !== id) return id;
    return this.#connectId(kind as ExportableKind, id, 'content');
  }

  /** An ARN in content. */
  #embeddedArn(arn: string): Expr {
    const parts = ARN_PARTS.exec(arn);
    if (parts?.[2] !== 'connect') return this.#foreignArn(arn);
    const inInstance = INSTANCE_RESOURCE.exec(parts[5] ?? '');
    if (!inInstance) return this.#foreignArn(arn);
    const [, instanceId, segment, resourceId, suffix = ''] = inInstance;
    const ofSource =
      instanceId === this.#source.id &&
      parts[4] === this.#source.accountId &&
      parts[3] === this.#source.region;
    if (!ofSource) return own(this.#mapping.arns, arn) ?? arn;
    if (!segment || !resourceId) return { Ref: 'InstanceArn' };
    const whole = own(this.#mapping.arns, arn);
    if (whole) return whole;
    const tail = (expr: Expr): Expr =>
      suffix ? { 'Fn::Sub': `${this.#asSub(expr)}${subLiteral(suffix)}` } : expr;
    if (segment === 'queue/agent') {
      // A user's own AGENT queue: it comes with the user.
      const user = this.#byIdOrArn.get(resourceId);
      if (user?.kind === 'users' && this.#logical.has(user)) {
        const userArn = this.#connectRef('users', resourceId, 'content');
        if (typeof userArn !== 'string' && 'Fn::GetAtt' in userArn)
          return {
            'Fn::Sub': [
              `\${InstanceArn}/queue/agent/\${UserId}${subLiteral(suffix)}`,
              { UserId: idFrom(userArn, 3) },
            ],
          };
      }
      return tail(this.#outside(undefined, arn.slice(0, arn.length - suffix.length), user));
    }
    const kind = kindBySegment.get(segment);
    const base = arn.slice(0, arn.length - suffix.length);
    if (!kind) return tail(this.#outside(undefined, base, this.#byIdOrArn.get(base)));
    return tail(this.#connectRef(kind, base, 'content'));
  }

  /** An expression as a piece of a `Fn::Sub` string (only Ref, GetAtt and string Sub values occur). */
  #asSub(expr: Expr): string {
    if (typeof expr === 'string') return subLiteral(expr);
    if ('Ref' in expr) return `\${${String(expr.Ref)}}`;
    if ('Fn::GetAtt' in expr) return `\${${(expr['Fn::GetAtt'] as string[]).join('.')}}`;
    if (typeof expr['Fn::Sub'] === 'string') return expr['Fn::Sub'];
    throw new Error('export cloudformation: an expression that cannot be part of Fn::Sub');
  }

  // ---- properties per kind ----------------------------------------------------------------

  #properties(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    switch (document.kind as ExportableKind) {
      case 'user-hierarchy-structure':
        return {
          UserHierarchyStructure: Object.fromEntries(
            LEVELS.flatMap((level) => {
              const name = str(asRecord(r[level])?.Name);
              return name ? [[level, { Name: name }]] : [];
            }),
          ),
        };
      case 'user-hierarchy-groups': {
        const parentLevel = LEVELS[Number(r.LevelId) - 2];
        const parent = parentLevel ? asRecord(asRecord(r.HierarchyPath)?.[parentLevel]) : undefined;
        const parentId = str(parent?.Id) ?? str(parent?.Arn);
        return {
          Name: r.Name,
          ParentGroupArn: parentId
            ? this.#connectRef('user-hierarchy-groups', parentId, 'property')
            : undefined,
          Tags: tagList(r.Tags),
        };
      }
      case 'hours-of-operation':
        return this.#hours(document);
      case 'prompts':
        return {
          Name: r.Name,
          Description: str(r.Description),
          S3Uri: this.#promptUri(document),
          Tags: tagList(r.Tags),
        };
      case 'security-profiles':
        return this.#securityProfile(document);
      case 'flows':
        return {
          Name: r.Name,
          Type: r.Type,
          Description: str(r.Description),
          State: r.State === 'ARCHIVED' ? 'ARCHIVED' : undefined,
          Content: this.#text(String(r.Content)),
          Tags: tagList(r.Tags),
        };
      case 'flow-modules': {
        const external = asRecord(r.ExternalInvocationConfiguration);
        return {
          Name: r.Name,
          Description: str(r.Description),
          State: r.State === 'ARCHIVED' ? 'ARCHIVED' : undefined,
          Content: this.#text(String(r.Content)),
          Settings: str(r.Settings) ? this.#text(String(r.Settings)) : undefined,
          ExternalInvocationConfiguration:
            typeof external?.Enabled === 'boolean' ? { Enabled: external.Enabled } : undefined,
          Tags: tagList(r.Tags),
        };
      }
      case 'queues':
        return this.#queue(document);
      case 'routing-profiles':
        return this.#routingProfile(document);
      case 'users':
        return this.#user(document);
      case 'quick-connects':
        return this.#quickConnect(document);
    }
  }

  #hours(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    const slice = (value: unknown) => {
      const t = asRecord(value);
      return { Hours: Number(t?.Hours ?? 0), Minutes: Number(t?.Minutes ?? 0) };
    };
    const config = (list: unknown) =>
      (Array.isArray(list) ? list : []).map((c) => {
        const entry = asRecord(c) ?? {};
        return { Day: entry.Day, StartTime: slice(entry.StartTime), EndTime: slice(entry.EndTime) };
      });
    const overrides = (Array.isArray(document.related?.overrides) ? document.related.overrides : []).map(
      (o) => {
        const override = asRecord(o) ?? {};
        return defined({
          OverrideName: override.Name,
          OverrideDescription: str(override.Description),
          OverrideType: override.OverrideType,
          EffectiveFrom: override.EffectiveFrom,
          EffectiveTill: override.EffectiveTill,
          OverrideConfig: config(override.Config),
          RecurrenceConfig: asRecord(override.RecurrenceConfig),
        });
      },
    );
    const parents = (Array.isArray(r.ParentHoursOfOperations) ? r.ParentHoursOfOperations : []).flatMap(
      (p) => {
        const parent = asRecord(p);
        const ref = str(parent?.Id) ?? str(parent?.Arn);
        return ref ? [{ Id: this.#connectId('hours-of-operation', ref, 'property') }] : [];
      },
    );
    return {
      Name: r.Name,
      Description: str(r.Description),
      TimeZone: r.TimeZone,
      Config: config(r.Config),
      HoursOfOperationOverrides: overrides.length ? overrides : undefined,
      ParentHoursOfOperations: parents.length ? parents : undefined,
      Tags: tagList(r.Tags),
    };
  }

  #securityProfile(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    const related = document.related ?? {};
    const list = (value: unknown) =>
      Array.isArray(value) && value.length ? value.filter((v) => typeof v === 'string') : undefined;
    const applications = (Array.isArray(related.applications) ? related.applications : []).map((a) => {
      const app = asRecord(a) ?? {};
      return defined({
        Namespace: app.Namespace,
        ApplicationPermissions: app.ApplicationPermissions,
        Type: str(app.Type),
      });
    });
    const modules = (Array.isArray(related.allowedFlowModules) ? related.allowedFlowModules : []).map((m) => {
      const module = asRecord(m) ?? {};
      const id = String(module.FlowModuleId ?? '');
      const known = this.#byIdOrArn.get(id)?.kind === 'flow-modules';
      return {
        Type: module.Type,
        FlowModuleId: known ? this.#connectId('flow-modules', id, 'property') : id,
      };
    });
    const group = str(r.AllowedAccessControlHierarchyGroupId);
    return {
      SecurityProfileName: r.SecurityProfileName,
      Description: str(r.Description),
      Permissions: list(related.permissions),
      AllowedAccessControlTags: tagList(r.AllowedAccessControlTags),
      TagRestrictedResources: list(r.TagRestrictedResources),
      HierarchyRestrictedResources: list(r.HierarchyRestrictedResources),
      AllowedAccessControlHierarchyGroupId: group
        ? this.#connectId('user-hierarchy-groups', group, 'property')
        : undefined,
      Applications: applications.length ? applications : undefined,
      AllowedFlowModules: modules.length ? modules : undefined,
      Tags: tagList(r.Tags),
    };
  }

  #queue(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    const caller = asRecord(r.OutboundCallerConfig);
    const outboundFlow = str(caller?.OutboundFlowId);
    const number = str(caller?.OutboundCallerIdNumberId);
    const callerConfig = caller
      ? defined({
          OutboundCallerIdName: str(caller.OutboundCallerIdName),
          OutboundCallerIdNumberArn: number ? this.#phoneNumberArn(number) : undefined,
          OutboundFlowArn: outboundFlow ? this.#connectRef('flows', outboundFlow, 'property') : undefined,
        })
      : undefined;
    const links: Expr[] = [];
    for (const id of Array.isArray(document.related?.quickConnectIds)
      ? document.related.quickConnectIds
      : []) {
      const quickConnect = this.#byIdOrArn.get(String(id));
      if (this.#inCycle(quickConnect)) {
        const name = quickConnect?.name ?? String(id);
        this.#leftOutLinks.push({ queue: document.name, quickConnect: name });
        this.#warnings.push(
          `queue "${document.name}": its link to quick connect "${name}" is left out, as the two reference each other (a cycle CloudFormation cannot create in one stack); link them after the stack is created`,
        );
        continue;
      }
      links.push(this.#connectRef('quick-connects', String(id), 'link'));
    }
    const email = str(asRecord(r.OutboundEmailConfig)?.OutboundEmailAddressId);
    if (email)
      this.#warnings.push(
        `queue "${document.name}": its outbound email address is not in the template (email addresses are not exported)`,
      );
    return {
      Name: r.Name,
      Description: str(r.Description),
      HoursOfOperationArn: str(r.HoursOfOperationId)
        ? this.#connectRef('hours-of-operation', String(r.HoursOfOperationId), 'property')
        : undefined,
      MaxContacts: typeof r.MaxContacts === 'number' ? r.MaxContacts : undefined,
      Status: r.Status === 'ENABLED' || r.Status === 'DISABLED' ? r.Status : undefined,
      OutboundCallerConfig: callerConfig && Object.keys(callerConfig).length ? callerConfig : undefined,
      QuickConnectArns: links.length ? links : undefined,
      Tags: tagList(r.Tags),
    };
  }

  #routingProfile(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    const related = document.related ?? {};
    const queueRef = (c: Record<string, unknown>) =>
      this.#connectRef('queues', String(c.QueueArn ?? c.QueueId ?? ''), 'property');
    const queueConfigs = (Array.isArray(related.queueConfigs) ? related.queueConfigs : []).map((q) => {
      const c = asRecord(q) ?? {};
      return {
        Delay: Number(c.Delay ?? 0),
        Priority: Number(c.Priority ?? 1),
        QueueReference: { Channel: c.Channel, QueueArn: queueRef(c) },
      };
    });
    const manual = (
      Array.isArray(related.manualAssignmentQueueConfigs) ? related.manualAssignmentQueueConfigs : []
    ).map((q) => {
      const c = asRecord(q) ?? {};
      return { QueueReference: { Channel: c.Channel, QueueArn: queueRef(c) } };
    });
    const concurrencies = (Array.isArray(r.MediaConcurrencies) ? r.MediaConcurrencies : []).map((m) => {
      const c = asRecord(m) ?? {};
      const behavior = str(asRecord(c.CrossChannelBehavior)?.BehaviorType);
      return defined({
        Channel: c.Channel,
        Concurrency: c.Concurrency,
        CrossChannelBehavior: behavior ? { BehaviorType: behavior } : undefined,
      });
    });
    return {
      Name: r.Name,
      // Required by CloudFormation (and CreateRoutingProfile): the name stands in for a missing one.
      Description: str(r.Description) ?? String(r.Name),
      MediaConcurrencies: concurrencies,
      DefaultOutboundQueueArn: str(r.DefaultOutboundQueueId)
        ? this.#connectRef('queues', String(r.DefaultOutboundQueueId), 'property')
        : undefined,
      QueueConfigs: queueConfigs.length ? queueConfigs : undefined,
      ManualAssignmentQueueConfigs: manual.length ? manual : undefined,
      AgentAvailabilityTimer: str(r.AgentAvailabilityTimer),
      Tags: tagList(r.Tags),
    };
  }

  #user(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    const identity = asRecord(r.IdentityInfo) ?? {};
    const phone = asRecord(r.PhoneConfig) ?? {};
    const identityInfo = defined({
      FirstName: str(identity.FirstName),
      LastName: str(identity.LastName),
      Email: str(identity.Email),
      SecondaryEmail: str(identity.SecondaryEmail),
      Mobile: str(identity.Mobile),
    });
    const phoneConfig = defined({
      PhoneType: str(phone.PhoneType),
      AutoAccept: typeof phone.AutoAccept === 'boolean' ? phone.AutoAccept : undefined,
      AfterContactWorkTimeLimit:
        typeof phone.AfterContactWorkTimeLimit === 'number' ? phone.AfterContactWorkTimeLimit : undefined,
      DeskPhoneNumber: str(phone.DeskPhoneNumber),
      PersistentConnection:
        typeof phone.PersistentConnection === 'boolean' ? phone.PersistentConnection : undefined,
    });
    const proficiencies = (
      Array.isArray(document.related?.proficiencies) ? document.related.proficiencies : []
    ).map((p) => {
      const proficiency = asRecord(p) ?? {};
      return {
        AttributeName: proficiency.AttributeName,
        AttributeValue: proficiency.AttributeValue,
        Level: proficiency.Level,
      };
    });
    const perChannel = (member: string) =>
      Array.isArray(r[member]) && (r[member] as unknown[]).length ? r[member] : undefined;
    const securityProfiles = (Array.isArray(r.SecurityProfileIds) ? r.SecurityProfileIds : []).map((id) =>
      this.#connectRef('security-profiles', String(id), 'property'),
    );
    // Never a Password: the snapshot holds none, and the template must not carry one.
    return {
      Username: r.Username,
      DirectoryUserId: str(r.DirectoryUserId),
      IdentityInfo: Object.keys(identityInfo).length ? identityInfo : undefined,
      PhoneConfig: Object.keys(phoneConfig).length ? phoneConfig : undefined,
      RoutingProfileArn: str(r.RoutingProfileId)
        ? this.#connectRef('routing-profiles', String(r.RoutingProfileId), 'property')
        : undefined,
      SecurityProfileArns: securityProfiles.length ? securityProfiles : undefined,
      HierarchyGroupArn: str(r.HierarchyGroupId)
        ? this.#connectRef('user-hierarchy-groups', String(r.HierarchyGroupId), 'property')
        : undefined,
      UserProficiencies: proficiencies.length ? proficiencies : undefined,
      AfterContactWorkConfigs: perChannel('AfterContactWorkConfigs'),
      AutoAcceptConfigs: perChannel('AutoAcceptConfigs'),
      PersistentConnectionConfigs: perChannel('PersistentConnectionConfigs'),
      PhoneNumberConfigs: perChannel('PhoneNumberConfigs'),
      VoiceEnhancementConfigs: perChannel('VoiceEnhancementConfigs'),
      Tags: tagList(r.Tags),
    };
  }

  #quickConnect(document: StoredDocument): Record<string, unknown> {
    const r = document.resource;
    const config = asRecord(r.QuickConnectConfig) ?? {};
    const type = config.QuickConnectType;
    const queue = asRecord(config.QueueConfig);
    const user = asRecord(config.UserConfig);
    const phone = asRecord(config.PhoneConfig);
    const flow = (c: Record<string, unknown>) =>
      this.#connectRef('flows', String(c.ContactFlowId ?? ''), 'property');
    const quickConnectConfig =
      type === 'QUEUE' && queue
        ? {
            QuickConnectType: type,
            QueueConfig: {
              ContactFlowArn: flow(queue),
              QueueArn: this.#connectRef('queues', String(queue.QueueId ?? ''), 'property'),
            },
          }
        : type === 'USER' && user
          ? {
              QuickConnectType: type,
              UserConfig: {
                ContactFlowArn: flow(user),
                UserArn: this.#connectRef('users', String(user.UserId ?? ''), 'property'),
              },
            }
          : { QuickConnectType: type, PhoneConfig: { PhoneNumber: phone?.PhoneNumber } };
    return {
      Name: r.Name,
      Description: str(r.Description),
      QuickConnectConfig: quickConnectConfig,
      Tags: tagList(r.Tags),
    };
  }
}
