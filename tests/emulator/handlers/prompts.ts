/**
 * Prompts: ListPrompts, DescribePrompt, SearchPrompts, CreatePrompt, UpdatePrompt, GetPromptFile,
 * DeletePrompt.
 *
 * There is no audio here. The record keeps the `S3Uri` it was created or updated from, and
 * GetPromptFile answers a URL that looks like an S3 presigned URL of the instance's prompt bucket
 * (it does not resolve). The S3 object itself is never read, so audio format, size and bucket
 * permissions are not checked.
 *
 * Names are unique per instance, also on UpdatePrompt. The real model lists no
 * DuplicateResourceException for UpdatePrompt, but a restore that renames a prompt onto another
 * prompt's name is almost certainly a bug, and the emulator's collections keep names unique.
 */
import { createHash } from 'node:crypto';
import type {
  CreatePromptRequest,
  CreatePromptResponse,
  DeletePromptRequest,
  DescribePromptRequest,
  DescribePromptResponse,
  GetPromptFileRequest,
  GetPromptFileResponse,
  ListPromptsRequest,
  ListPromptsResponse,
  Prompt,
  PromptSummary,
  SearchPromptsRequest,
  SearchPromptsResponse,
  UpdatePromptRequest,
  UpdatePromptResponse,
} from '@aws-sdk/client-connect';
import { invalidParameter } from '../errors.js';
import type { InstanceState, PromptRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, matchesFilter } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** FieldNames SearchPrompts supports (model docs of PromptSearchCriteria). */
const SEARCH_FIELDS = ['name', 'description', 'resourceID'] as const;
/** Seconds the GetPromptFile URL claims to stay valid. */
const PRESIGNED_URL_EXPIRES = 900;

/**
 * The model's S3Uri pattern, `s3://\S+/.+|https://\S+\.s3\.\S+\.amazonaws\.com/\S+`, anchored.
 * (The model holds it double-escaped, so the generic validator skips it.)
 */
const S3_URI = /^(?:s3:\/\/\S+\/.+|https:\/\/\S+\.s3\.\S+\.amazonaws\.com\/\S+)$/u;

/** @throws ConnectError InvalidParameterException (400) when the S3Uri is neither form Connect accepts. */
function assertS3Uri(uri: string): void {
  if (!S3_URI.test(uri)) {
    throw invalidParameter(
      `S3Uri must be s3://<bucket>/<key> or an https://<bucket>.s3.<region>.amazonaws.com/<key> URL: ${uri}`,
    );
  }
}

function summary(record: PromptRecord): PromptSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/** A URL shaped like an S3 SigV4 presigned GET of the prompt's audio. */
function presignedUrl(instance: InstanceState, record: PromptRecord, now: Date): string {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/${instance.region}/s3/aws4_request`;
  const signature = createHash('sha256').update(`${record.arn}\n${record.s3Uri}\n${amzDate}`).digest('hex');
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `ASIAEMULATORPROMPTS1/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(PRESIGNED_URL_EXPIRES),
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': signature,
  });
  return `https://emulator-prompts.s3.${instance.region}.amazonaws.com/${instance.id}/${record.id}.wav?${query}`;
}

/** Handlers of the prompt operations (see the module comment for what is not modelled). */
export const promptHandlers: HandlerTable = {
  ListPrompts(ctx: RequestContext, input: ListPromptsRequest): ListPromptsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.prompts.all().map(summary),
      input,
      `ListPrompts/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { PromptSummaryList: page, NextToken };
  },

  DescribePrompt(ctx: RequestContext, input: DescribePromptRequest): DescribePromptResponse {
    const record = ctx.instance(input.InstanceId!).prompts.require(input.PromptId!);
    return { Prompt: structuredClone(record.entity) };
  },

  SearchPrompts(ctx: RequestContext, input: SearchPromptsRequest): SearchPromptsResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria, SEARCH_FIELDS);
    const matches = instance.prompts
      .searchable()
      .filter(
        (r) => matchesCriteria(r, input.SearchCriteria) && matchesFilter(r.entity.Tags, input.SearchFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchPrompts',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { Prompts: page.map((r) => structuredClone(r.entity)), NextToken, ApproximateTotalCount };
  },

  /** CreatePrompt: Name unique (409), S3Uri in one of the two accepted forms (400). */
  CreatePrompt(ctx: RequestContext, input: CreatePromptRequest): CreatePromptResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertS3Uri(input.S3Uri!);
    instance.prompts.assertNameFree(input.Name!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('prompt', id);
    const entity: Prompt = {
      PromptARN: arn,
      PromptId: id,
      Name: input.Name!,
      ...(input.Description !== undefined && { Description: input.Description }),
      Tags: tagsOf(input.Tags),
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.prompts.add({ id, arn, name: input.Name!, entity, s3Uri: input.S3Uri! });
    return { PromptARN: arn, PromptId: id };
  },

  /**
   * UpdatePrompt: Name (409 when taken, an emulator choice; see the module comment), Description,
   * S3Uri. Moves LastModifiedTime when any of them is given.
   */
  UpdatePrompt(ctx: RequestContext, input: UpdatePromptRequest): UpdatePromptResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.prompts.require(input.PromptId!);
    if (input.S3Uri !== undefined) assertS3Uri(input.S3Uri);
    if (input.Name !== undefined) {
      instance.prompts.rename(record, input.Name);
      record.entity.Name = input.Name;
    }
    if (input.Description !== undefined) record.entity.Description = input.Description;
    if (input.S3Uri !== undefined) record.s3Uri = input.S3Uri;
    if ([input.Name, input.Description, input.S3Uri].some((v) => v !== undefined)) {
      record.entity.LastModifiedTime = ctx.world.tick();
      record.entity.LastModifiedRegion = instance.region;
    }
    return { PromptARN: record.arn, PromptId: record.id };
  },

  /** GetPromptFile: a presigned-looking https URL of the prompt's audio, with LastModified*. */
  GetPromptFile(ctx: RequestContext, input: GetPromptFileRequest): GetPromptFileResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.prompts.require(input.PromptId!);
    return {
      PromptPresignedUrl: presignedUrl(instance, record, ctx.world.clock.now()),
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  DeletePrompt(ctx: RequestContext, input: DeletePromptRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    instance.prompts.remove(instance.prompts.require(input.PromptId!));
    return {};
  },
};
