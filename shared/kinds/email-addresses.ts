/**
 * E-mail addresses of the instance: the addresses its e-mail channel receives on and queues send
 * from.
 *
 * Read with SearchEmailAddresses (there is no List operation: connect-api-facts.md §5; 100 per
 * page), then DescribeEmailAddress per address, as Search leaves out Tags and the timestamps. The
 * document is the DescribeEmailAddress answer; its name is the address itself.
 *
 * No change signal: Search returns neither tags nor a timestamp, so every run reads the addresses
 * in full (one Search call per 100, one Describe per address).
 *
 * Restore: the address is what a queue's `OutboundEmailConfig.OutboundEmailAddressId` points at, and
 * it must be on an e-mail domain of the target instance (CreateEmailAddress refuses others). So an
 * address is matched by `mappings.emailAddresses` (source address → target address, or `"same"`,
 * the default in a restore into the same instance): into another instance an address is restored
 * only when the mapping names it (its domain is the source's, `<alias>.email.connect.aws` or a
 * custom one the target may not have); an unmapped address is reported per address, and blocks the
 * restore when the mapping names other addresses. A mapped address the target lacks is created
 * (CreateEmailAddress with the mapped address, its display name, description and tags); one it has
 * gets its display name and description (UpdateEmailAddressMetadata) and tags. The address itself is
 * never changed (no operation changes it). Queues' outbound addresses then resolve to the target's
 * address through the restore's id mapping, like any reference.
 *
 * Not restored: alias configurations (AssociateEmailAddressAlias), stored for the record; the flows
 * associated with an address (AssociateFlow INBOUND_EMAIL), which are not read yet.
 */
import {
  CreateEmailAddressCommand,
  DescribeEmailAddressCommand,
  type DescribeEmailAddressResponse,
  type EmailAddressMetadata,
  SearchEmailAddressesCommand,
  UpdateEmailAddressMetadataCommand,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
import { documentOf, mapUnordered } from './support/read.js';
import {
  anyChanged,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import type { KindRestore, ReadContext, ResourceKind, StoredDocument } from './types.js';

/** SearchEmailAddresses pages hold at most 100 addresses. */
const PAGE = 100;

/** Every address of the instance (SearchEmailAddresses, no criteria), page by page. */
async function* searchEmailAddresses(ctx: ReadContext): AsyncIterable<EmailAddressMetadata> {
  let NextToken: string | undefined;
  do {
    const page = await ctx.connect.send(
      new SearchEmailAddressesCommand({ InstanceId: ctx.instanceId, MaxResults: PAGE, NextToken }),
      opts(ctx),
    );
    yield* page.EmailAddresses ?? [];
    NextToken = page.NextToken;
  } while (NextToken);
}

/**
 * One address as DescribeEmailAddress answers it.
 * @throws the SDK's service errors.
 */
async function describeEmailAddress(ctx: ReadContext, id: string | undefined): Promise<StoredDocument> {
  const { $metadata: _metadata, ...address } = await ctx.connect.send(
    new DescribeEmailAddressCommand({ InstanceId: ctx.instanceId, EmailAddressId: id }),
    opts(ctx),
  );
  return documentOf('email-addresses', address, {
    id: address.EmailAddressId,
    arn: address.EmailAddressArn,
    name: address.EmailAddress,
  });
}

/** What to do about an address that is not mapped. */
const MAP_IT =
  'map it to an address on an e-mail domain of the target in mappings.emailAddresses (source → target address), or "same" in a restore into the same instance';

const emailAddressesRestore: KindRestore = {
  writeOperations: ['CreateEmailAddress', 'UpdateEmailAddressMetadata', 'TagResource', 'UntagResource'],
  // DeleteEmailAddress exists; mirror does not use it yet (no removal here), so it keeps the target's extra ones.
  keptReason:
    'kept: mirror does not remove e-mail addresses yet (connect-vault makes no DeleteEmailAddress call)',
  nameMember: 'EmailAddress',
  state(document) {
    const address = entityOf<DescribeEmailAddressResponse>(document);
    return {
      EmailAddress: address.EmailAddress,
      // An empty display name or description is none (UpdateEmailAddressMetadata clears with "").
      DisplayName: address.DisplayName || undefined,
      Description: address.Description || undefined,
      Tags: userTags(address.Tags),
    };
  },
  matchBy(source, { mapping, sameInstance }) {
    const map = mapping.emailAddresses ?? (sameInstance ? 'same' : undefined);
    if (map === undefined) {
      return {
        skip: `not restored: mappings.emailAddresses does not map it, and an address must be on an e-mail domain of the target; ${MAP_IT}`,
        blocked: false,
      };
    }
    if (map === 'same') return { name: source.name };
    const to = Object.hasOwn(map, source.name) ? map[source.name] : undefined;
    if (to === undefined) {
      return {
        skip: `${source.name} is not in mappings.emailAddresses, so it (and the queues sending from it) is restored nowhere; ${MAP_IT}`,
        blocked: true,
      };
    }
    return { name: to };
  },
  mappingProblems(documents, { mapping, sameInstance }) {
    const map = mapping.emailAddresses;
    if (map === undefined) return [];
    if (map === 'same') {
      return sameInstance
        ? []
        : [
            'emailAddresses: "same" keeps every address, which only a restore into the same instance can do; map each source address to one on an e-mail domain of the target (an address may map to itself when its domain was moved there)',
          ];
    }
    const addresses = new Set(documents.map((d) => d.name));
    return Object.keys(map)
      .filter((from) => !addresses.has(from))
      .map((from) => `emailAddresses.${from}: the snapshot has no e-mail address ${from}`);
  },
  async create(ctx, desired) {
    const address = text(desired, 'EmailAddress');
    if (!address) throw new Error('an e-mail address needs its address');
    const created = await ctx.connect.send(
      new CreateEmailAddressCommand({
        InstanceId: ctx.instanceId,
        EmailAddress: address,
        DisplayName: text(desired, 'DisplayName'),
        Description: text(desired, 'Description'),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.EmailAddressId || !created.EmailAddressArn)
      throw new Error('CreateEmailAddress returned no id');
    return { id: created.EmailAddressId, arn: created.EmailAddressArn };
  },
  cannotUpdate(changed) {
    // Matched by address, so the address never differs; were it to (a names mapping), no call changes it.
    return changed.includes('EmailAddress')
      ? 'an e-mail address cannot be changed (UpdateEmailAddressMetadata changes its display name and description only)'
      : undefined;
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    if (anyChanged(changed, 'DisplayName', 'Description')) {
      await ctx.connect.send(
        new UpdateEmailAddressMetadataCommand({
          InstanceId: ctx.instanceId,
          EmailAddressId: target.id,
          // A member left out is left as it is: an empty string clears it.
          DisplayName: text(desired, 'DisplayName') ?? '',
          Description: text(desired, 'Description') ?? '',
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const emailAddresses: ResourceKind<'email-addresses'> = {
  name: 'email-addresses',
  label: 'e-mail address',
  readOperations: ['SearchEmailAddresses', 'DescribeEmailAddress'],
  read(ctx) {
    const found = notStored(ctx, searchEmailAddresses(ctx), (a) => a.EmailAddressId);
    return mapUnordered(found, CONCURRENCY, (address) => describeEmailAddress(ctx, address.EmailAddressId));
  },
  restore: emailAddressesRestore,
};
