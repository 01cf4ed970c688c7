/**
 * E-mail addresses: SearchEmailAddresses, DescribeEmailAddress, CreateEmailAddress,
 * UpdateEmailAddressMetadata, DeleteEmailAddress.
 *
 * The API model's rules (connect-2017-08-08.normal.json): CreateEmailAddress requires EmailAddress
 * (1..255, `[^\s@]+@[^\s@]+\.[^\s@]+`, checked by the model validation before a handler runs);
 * DisplayName 0..256; Search pages hold at most 100; SearchEmailAddresses answers
 * `EmailAddressMetadata` (no Tags, no timestamps), DescribeEmailAddress the whole address with its
 * Tags, CreateTimestamp and ModifiedTimestamp (ISO-8601 strings). UpdateEmailAddressMetadata changes
 * only Description and DisplayName: the address itself cannot be changed.
 *
 * Rules from the docs: the address must be on an e-mail domain of the instance
 * (connect-api-facts.md, "the domain must exist in the target"; the instance's default domain is
 * `<alias>.email.connect.aws`, seeds add custom ones); an address is unique in its instance, compared
 * without case (DuplicateResourceException, which CreateEmailAddress lists); a queue's outbound
 * e-mail address must be an address of the instance (handlers/queues.ts), and an address a queue
 * sends from cannot be deleted (ResourceConflictException, which DeleteEmailAddress lists).
 *
 * Choices where the real service's behaviour is undocumented:
 * - An address on a domain the instance does not have is an InvalidParameterException (the model
 *   lists it; which error the service answers is not documented).
 * - No quota on addresses per instance is modelled (none is documented in connect-api-facts.md).
 * - SearchEmailAddresses supports the StringCondition fields `EmailAddress`, `DisplayName`,
 *   `Description` and `resourceId`, and the TagFilter.
 * - Alias configurations (AssociateEmailAddressAlias) are not modelled: every address answers an
 *   empty `AliasConfigurations`.
 */
import type {
  CreateEmailAddressRequest,
  CreateEmailAddressResponse,
  DeleteEmailAddressRequest,
  DescribeEmailAddressRequest,
  DescribeEmailAddressResponse,
  EmailAddressMetadata,
  SearchEmailAddressesRequest,
  SearchEmailAddressesResponse,
  UpdateEmailAddressMetadataRequest,
  UpdateEmailAddressMetadataResponse,
} from '@aws-sdk/client-connect';
import { ConnectError, duplicate, invalidParameter } from '../errors.js';
import type { EmailAddressRecord, InstanceState } from '../state.js';
import { type HandlerTable, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, matchesFilter } from './search.js';

const PAGE_MAX = 100;
const SEARCH_FIELDS = ['EmailAddress', 'DisplayName', 'Description', 'resourceId'] as const;

/** The key an address is unique by: the whole address, lower-cased. */
export const addressKey = (address: string) => address.toLowerCase();

/**
 * The e-mail address of an instance by id or ARN.
 * @throws ConnectError ResourceNotFoundException (404).
 */
export function requireEmailAddress(instance: InstanceState, idOrArn: string): EmailAddressRecord {
  return instance.emailAddresses.require(idOrArn);
}

function metadata(record: EmailAddressRecord): EmailAddressMetadata {
  const { EmailAddressId, EmailAddressArn, EmailAddress, Description, DisplayName, AliasConfigurations } =
    record.entity;
  return structuredClone({
    EmailAddressId,
    EmailAddressArn,
    EmailAddress,
    Description,
    DisplayName,
    AliasConfigurations,
  });
}

/** Handlers of the e-mail address operations (see the module comment for the rules). */
export const emailAddressHandlers: HandlerTable = {
  SearchEmailAddresses(
    ctx: RequestContext,
    input: SearchEmailAddressesRequest,
  ): SearchEmailAddressesResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria, SEARCH_FIELDS);
    const matches = instance.emailAddresses
      .searchable()
      .filter((r) => matchesCriteria(r, input.SearchCriteria))
      .filter((r) => matchesFilter(r.entity.Tags, input.SearchFilter));
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchEmailAddresses',
      instance.id,
      matches,
      input,
      PAGE_MAX,
    );
    return { EmailAddresses: page.map(metadata), NextToken, ApproximateTotalCount };
  },

  DescribeEmailAddress(
    ctx: RequestContext,
    input: DescribeEmailAddressRequest,
  ): DescribeEmailAddressResponse {
    const record = requireEmailAddress(ctx.instance(input.InstanceId!), input.EmailAddressId!);
    return structuredClone(record.entity) as DescribeEmailAddressResponse;
  },

  /** CreateEmailAddress: on a domain of the instance (400), unique in it without case (409). */
  CreateEmailAddress(ctx: RequestContext, input: CreateEmailAddressRequest): CreateEmailAddressResponse {
    const instance = ctx.instance(input.InstanceId!);
    const address = input.EmailAddress!;
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    if (!instance.emailDomains.has(domain)) {
      throw invalidParameter(
        `The domain ${domain} is not an email domain of instance ${instance.id}; its domains are ${[...instance.emailDomains].join(', ')}.`,
      );
    }
    if (instance.emailAddresses.findByName(addressKey(address))) throw duplicate('Email address', address);
    const id = ctx.world.newId();
    const arn = instance.arnFor('email-address', id);
    const now = ctx.world.tick().toISOString();
    instance.emailAddresses.add({
      id,
      arn,
      name: addressKey(address),
      entity: {
        EmailAddressId: id,
        EmailAddressArn: arn,
        EmailAddress: address,
        ...(input.DisplayName !== undefined ? { DisplayName: input.DisplayName } : {}),
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        CreateTimestamp: now,
        ModifiedTimestamp: now,
        AliasConfigurations: [],
        Tags: tagsOf(input.Tags),
      },
    });
    return { EmailAddressId: id, EmailAddressArn: arn };
  },

  /** UpdateEmailAddressMetadata: Description and DisplayName, each replaced when given. */
  UpdateEmailAddressMetadata(
    ctx: RequestContext,
    input: UpdateEmailAddressMetadataRequest,
  ): UpdateEmailAddressMetadataResponse {
    const record = requireEmailAddress(ctx.instance(input.InstanceId!), input.EmailAddressId!);
    if (input.Description !== undefined) record.entity.Description = input.Description;
    if (input.DisplayName !== undefined) record.entity.DisplayName = input.DisplayName;
    record.entity.ModifiedTimestamp = ctx.world.tick().toISOString();
    return { EmailAddressId: record.id, EmailAddressArn: record.arn };
  },

  /** DeleteEmailAddress: not while a queue sends from it (409 ResourceConflictException). */
  DeleteEmailAddress(ctx: RequestContext, input: DeleteEmailAddressRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = requireEmailAddress(instance, input.EmailAddressId!);
    const users = instance.queues
      .all()
      .filter((q) => q.entity.OutboundEmailConfig?.OutboundEmailAddressId === record.id)
      .map((q) => q.name);
    if (users.length) {
      throw new ConnectError(
        'ResourceConflictException',
        `Email address ${record.entity.EmailAddress} is the outbound email address of queue(s) ${users.join(', ')}.`,
      );
    }
    instance.emailAddresses.remove(record);
    ctx.world.tick();
    return {};
  },
};
