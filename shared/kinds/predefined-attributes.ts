/**
 * Predefined attributes: read with SearchPredefinedAttributes, restored with
 * CreatePredefinedAttribute and UpdatePredefinedAttribute. User proficiencies (users.ts) name them.
 *
 * A predefined attribute has no id, no ARN and no tags: the API addresses it by name
 * (DescribePredefinedAttribute `GET /predefined-attributes/{InstanceId}/{Name}`; CloudFormation's
 * identifier is `InstanceArn|Name`). Its stored document therefore carries identities made from the
 * name: the id `predefined-attribute:<Name>` ({@link predefinedAttributeId}), which no other
 * resource's string can be mistaken for when restore remaps references, and the "ARN"
 * `<instance ARN>|<Name>`, CloudFormation's identifier (no IAM resource or API takes it).
 *
 * Read in full on every run, no change signal: an instance holds at most 25 (the default quota), so
 * one Search call (100 per page) reads them all, as a change scan with ListPredefinedAttributes
 * (LastModifiedTime, 100 per page) would cost one call too.
 */
import {
  CreatePredefinedAttributeCommand,
  DeletePredefinedAttributeCommand,
  type PredefinedAttribute,
  type PredefinedAttributeValues,
  paginateSearchPredefinedAttributes,
  UpdatePredefinedAttributeCommand,
} from '@aws-sdk/client-connect';
import { itemsOf } from './support/read.js';
import { deletion } from './support/removal.js';
import { anyChanged, entityOf, sendOptions, text } from './support/restore.js';
import { config, request, searchKind } from './support/search.js';
import type { KindRestore, ReadContext, ResourceKind } from './types.js';

const ID_PREFIX = 'predefined-attribute:';
/** Name prefixes reserved for the system's attributes (new-instance-defaults.md, "Predefined attributes"). */
const RESERVED_PREFIXES = ['aws:', 'connect:'];

/** The id of a predefined attribute's stored document: `predefined-attribute:<Name>`. */
export function predefinedAttributeId(name: string): string {
  return `${ID_PREFIX}${name}`;
}

/**
 * The name of a predefined attribute from its document id (see {@link predefinedAttributeId}).
 * @throws Error when `id` is no predefined attribute id.
 */
export function predefinedAttributeName(id: string): string {
  if (!id.startsWith(ID_PREFIX)) throw new Error(`not a predefined attribute id: ${JSON.stringify(id)}`);
  return id.slice(ID_PREFIX.length);
}

/** The identities of a predefined attribute of an instance (see the module comment). */
function identityOf(instanceArn: string, name: string): { id: string; arn: string } {
  return { id: predefinedAttributeId(name), arn: `${instanceArn}|${name}` };
}

type Configuration = PredefinedAttribute['AttributeConfiguration'];

/**
 * The writable part of AttributeConfiguration (IsReadOnly is output-only), undefined unless value
 * validation is on: an attribute without a configuration and one with validation off are the same,
 * so a restore does not write one over the other again on every run.
 */
function writableConfiguration(
  configuration: Configuration,
): { EnableValueValidationOnAssociation: true } | undefined {
  return configuration?.EnableValueValidationOnAssociation === true
    ? { EnableValueValidationOnAssociation: true }
    : undefined;
}

const predefinedAttributesRestore: KindRestore = {
  // Connect refuses (ResourceInUseException) while a user's proficiency uses it: users first.
  remove: deletion(
    'DeletePredefinedAttribute',
    (ctx, target) =>
      ctx.connect.send(
        new DeletePredefinedAttributeCommand({ InstanceId: ctx.instanceId, Name: target.name }),
        sendOptions(ctx),
      ),
    (target) => {
      const reserved = RESERVED_PREFIXES.find((prefix) => target.name.startsWith(prefix));
      return reserved
        ? `kept: "${target.name}" is a system predefined attribute (prefix ${reserved}); mirror never removes one`
        : undefined;
    },
  ),
  writeOperations: ['CreatePredefinedAttribute', 'UpdatePredefinedAttribute'],
  nameMember: 'Name',
  unordered: ['Purposes'],
  state(document) {
    const attribute = entityOf<PredefinedAttribute>(document);
    return {
      Name: attribute.Name,
      Values: attribute.Values,
      Purposes: attribute.Purposes?.length ? attribute.Purposes : undefined,
      AttributeConfiguration: writableConfiguration(attribute.AttributeConfiguration),
    };
  },
  cannotCreate(source, context) {
    const name = context.targetName(source);
    const reserved = RESERVED_PREFIXES.find((prefix) => name.toLowerCase().startsWith(prefix));
    return reserved
      ? `a predefined attribute named "${reserved}…" is the system's: the API creates none with that prefix, and the target has none named "${name}"`
      : undefined;
  },
  cannotUpdate(changed, _current, desired) {
    if (changed.includes('Name')) return 'predefined attributes cannot be renamed through the Connect API';
    const name = text(desired, 'Name') ?? '';
    return RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix))
      ? `"${name}" is a system predefined attribute: restore does not write the system's attributes`
      : undefined;
  },
  async create(ctx, desired) {
    const name = text(desired, 'Name');
    if (!name) throw new Error('a predefined attribute needs a name');
    await ctx.connect.send(
      new CreatePredefinedAttributeCommand({
        InstanceId: ctx.instanceId,
        Name: name,
        Values: desired.Values as PredefinedAttributeValues | undefined,
        Purposes: desired.Purposes as string[] | undefined,
        AttributeConfiguration: desired.AttributeConfiguration as Configuration,
      }),
      sendOptions(ctx),
    );
    return identityOf(ctx.instanceArn, name);
  },
  async update(ctx, _phase, target, { desired, changed }) {
    if (!anyChanged(changed, 'Values', 'Purposes', 'AttributeConfiguration')) return;
    await ctx.connect.send(
      new UpdatePredefinedAttributeCommand({
        InstanceId: ctx.instanceId,
        Name: predefinedAttributeName(target.id),
        ...(changed.has('Values')
          ? { Values: (desired.Values as PredefinedAttributeValues) ?? { StringList: [] } }
          : {}),
        ...(changed.has('Purposes') ? { Purposes: (desired.Purposes as string[] | undefined) ?? [] } : {}),
        ...(changed.has('AttributeConfiguration')
          ? {
              AttributeConfiguration: (desired.AttributeConfiguration as Configuration) ?? {
                EnableValueValidationOnAssociation: false,
              },
            }
          : {}),
      }),
      sendOptions(ctx),
    );
  },
};

export const predefinedAttributes: ResourceKind<'predefined-attributes'> = searchKind({
  name: 'predefined-attributes',
  label: 'predefined attribute',
  operation: 'SearchPredefinedAttributes',
  search: (ctx: ReadContext) =>
    itemsOf(
      paginateSearchPredefinedAttributes(config(ctx), request(ctx)),
      (page) => page.PredefinedAttributes,
    ),
  identity: (e, ctx) => ({ ...identityOf(ctx.instanceArn, e.Name ?? ''), name: e.Name }),
  searchOnly: {
    why: 'SearchPredefinedAttributes returns the whole PredefinedAttribute, as DescribePredefinedAttribute does (connect-api-facts.md §5): 100 per call',
    requires: ['Name'],
  },
  restore: predefinedAttributesRestore,
});
