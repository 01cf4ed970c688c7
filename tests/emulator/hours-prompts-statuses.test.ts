import {
  CreateAgentStatusCommand,
  CreateHoursOfOperationCommand,
  type CreateHoursOfOperationCommandInput,
  CreatePromptCommand,
  DeleteHoursOfOperationCommand,
  DeletePromptCommand,
  DescribeAgentStatusCommand,
  DescribeHoursOfOperationCommand,
  DescribePromptCommand,
  GetPromptFileCommand,
  ListAgentStatusesCommand,
  ListHoursOfOperationsCommand,
  ListPromptsCommand,
  SearchAgentStatusesCommand,
  SearchHoursOfOperationsCommand,
  SearchPromptsCommand,
  TagResourceCommand,
  UpdateAgentStatusCommand,
  UpdateHoursOfOperationCommand,
  UpdatePromptCommand,
} from '@aws-sdk/client-connect';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startS3rver } from '../support/s3rver.js';
import { addSystemAgentStatuses } from './handlers/agent-statuses.js';
import { wavBytes } from './prompt-files.js';
import { call, DEFAULT_REGION } from './seeds/support.js';
import { expectError, type Harness, startWithInstance } from './testing.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');

interface Clocked extends Harness {
  /** Moves the emulator's clock forward and returns the new time. */
  advance(ms?: number): Date;
}

/** One empty instance (optionally with the system agent statuses) on a clock the test moves. */
async function start(options: { systemStatuses?: boolean } = {}): Promise<Clocked> {
  let now = T0;
  const h = await startWithInstance({
    emulator: { clock: { now: () => new Date(now) } },
    arrange: (instance, env) => {
      if (options.systemStatuses) addSystemAgentStatuses(env.world, instance);
    },
  });
  return {
    ...h,
    advance(ms = 60_000) {
      now += ms;
      return new Date(now);
    },
  };
}

const NINE_TO_FIVE = (day: 'MONDAY' | 'TUESDAY') => ({
  Day: day,
  StartTime: { Hours: 9, Minutes: 0 },
  EndTime: { Hours: 17, Minutes: 30 },
});

function hoursInput(h: Clocked, name: string): CreateHoursOfOperationCommandInput {
  return {
    InstanceId: h.instance.id,
    Name: name,
    TimeZone: 'Europe/Berlin',
    Config: [NINE_TO_FIVE('MONDAY')],
  };
}

describe('CreateHoursOfOperation and DescribeHoursOfOperation', () => {
  it('round-trips the whole hours document, tags included', async () => {
    const h = await start();
    const created = h.advance();

    const { HoursOfOperationId, HoursOfOperationArn } = await h.connect.send(
      new CreateHoursOfOperationCommand({
        InstanceId: h.instance.id,
        Name: 'Office',
        Description: 'Weekdays',
        TimeZone: 'Europe/Berlin',
        Config: [NINE_TO_FIVE('MONDAY'), NINE_TO_FIVE('TUESDAY')],
        Tags: { team: 'support' },
      }),
    );
    const { HoursOfOperation } = await h.connect.send(
      new DescribeHoursOfOperationCommand({ InstanceId: h.instance.id, HoursOfOperationId }),
    );

    expect(HoursOfOperationArn).toBe(`${h.instance.arn}/operating-hours/${HoursOfOperationId}`);
    expect(HoursOfOperation).toEqual({
      HoursOfOperationId,
      HoursOfOperationArn,
      Name: 'Office',
      Description: 'Weekdays',
      TimeZone: 'Europe/Berlin',
      Config: [NINE_TO_FIVE('MONDAY'), NINE_TO_FIVE('TUESDAY')],
      Tags: { team: 'support' },
      LastModifiedTime: created,
      LastModifiedRegion: DEFAULT_REGION,
    });
  });

  it('rejects a missing required member with 400', async () => {
    const h = await start();

    await expectError(
      h.connect.send(new CreateHoursOfOperationCommand({ ...hoursInput(h, 'Office'), TimeZone: undefined })),
      'InvalidParameterException',
      400,
    );
    expect(h.instance.hoursOfOperations.size).toBe(0);
  });

  it('rejects a time slice outside the model range with 400', async () => {
    const h = await start();
    const config = [
      { Day: 'MONDAY' as const, StartTime: { Hours: 24, Minutes: 0 }, EndTime: { Hours: 1, Minutes: 0 } },
    ];

    await expectError(
      h.connect.send(new CreateHoursOfOperationCommand({ ...hoursInput(h, 'Office'), Config: config })),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects a duplicate name with 409', async () => {
    const h = await start();
    await h.connect.send(new CreateHoursOfOperationCommand(hoursInput(h, 'Office')));

    await expectError(
      h.connect.send(new CreateHoursOfOperationCommand(hoursInput(h, 'Office'))),
      'DuplicateResourceException',
      409,
    );
    expect(h.instance.hoursOfOperations.size).toBe(1);
  });

  it('rejects parent hours that do not exist (the rules on parents: hours-overrides.test.ts)', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new CreateHoursOfOperationCommand({
          ...hoursInput(h, 'Child'),
          ParentHoursOfOperationConfigs: [{ HoursOfOperationId: 'parent' }],
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    expect(h.instance.hoursOfOperations.size).toBe(0);
  });

  it('answers 404 for an unknown id', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new DescribeHoursOfOperationCommand({ InstanceId: h.instance.id, HoursOfOperationId: 'nope' }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('ListHoursOfOperations', () => {
  it('pages through every summary in creation order, with exactly the summary members', async () => {
    const h = await start();
    const expected = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      const time = h.advance();
      const out = await h.connect.send(new CreateHoursOfOperationCommand(hoursInput(h, name)));
      expected.push({
        Id: out.HoursOfOperationId,
        Arn: out.HoursOfOperationArn,
        Name: name,
        LastModifiedTime: time,
        LastModifiedRegion: DEFAULT_REGION,
      });
    }

    const pages = [];
    let NextToken: string | undefined;
    do {
      const page = await h.connect.send(
        new ListHoursOfOperationsCommand({ InstanceId: h.instance.id, MaxResults: 2, NextToken }),
      );
      pages.push(page.HoursOfOperationSummaryList ?? []);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(expected);
  });
});

describe('SearchHoursOfOperations', () => {
  it('filters by criteria and tags, pages, and counts all matches', async () => {
    const h = await start();
    for (const [name, zone, tag] of [
      ['Berlin 1', 'Europe/Berlin', 'eu'],
      ['Tokyo', 'Asia/Tokyo', 'apac'],
      ['Berlin 2', 'Europe/Berlin', 'eu'],
      ['Berlin 3', 'Europe/Berlin', 'other'],
    ] as const) {
      await h.connect.send(
        new CreateHoursOfOperationCommand({ ...hoursInput(h, name), TimeZone: zone, Tags: { region: tag } }),
      );
    }
    const request = {
      InstanceId: h.instance.id,
      MaxResults: 1,
      SearchCriteria: {
        StringCondition: { FieldName: 'timezone', Value: 'Europe/Berlin', ComparisonType: 'EXACT' as const },
      },
      SearchFilter: { TagFilter: { TagCondition: { TagKey: 'region', TagValue: 'eu' } } },
    };

    const first = await h.connect.send(new SearchHoursOfOperationsCommand(request));
    const second = await h.connect.send(
      new SearchHoursOfOperationsCommand({ ...request, NextToken: first.NextToken }),
    );

    expect(first.ApproximateTotalCount).toBe(2);
    expect(
      [...(first.HoursOfOperations ?? []), ...(second.HoursOfOperations ?? [])].map((x) => x.Name),
    ).toEqual(['Berlin 1', 'Berlin 2']);
    expect(second.NextToken).toBeUndefined();
    expect(second.HoursOfOperations?.[0]).toEqual(
      h.instance.hoursOfOperations.findByName('Berlin 2')?.entity,
    );
  });

  it('rejects a FieldName the operation does not support with 400', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new SearchHoursOfOperationsCommand({
          InstanceId: h.instance.id,
          SearchCriteria: { AndConditions: [{ StringCondition: { FieldName: 'config', Value: 'x' } }] },
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });
});

describe('UpdateHoursOfOperation', () => {
  it('replaces the given fields and moves LastModifiedTime', async () => {
    const h = await start();
    h.advance();
    const { HoursOfOperationId, HoursOfOperationArn } = await h.connect.send(
      new CreateHoursOfOperationCommand({ ...hoursInput(h, 'Office'), Description: 'Old', Tags: { a: '1' } }),
    );
    const updated = h.advance();

    await h.connect.send(
      new UpdateHoursOfOperationCommand({
        InstanceId: h.instance.id,
        HoursOfOperationId,
        Name: 'Office hours',
        Description: '',
        TimeZone: 'America/New_York',
        Config: [NINE_TO_FIVE('TUESDAY')],
      }),
    );
    const { HoursOfOperation } = await h.connect.send(
      new DescribeHoursOfOperationCommand({ InstanceId: h.instance.id, HoursOfOperationId }),
    );

    expect(HoursOfOperation).toEqual({
      HoursOfOperationId,
      HoursOfOperationArn,
      Name: 'Office hours',
      TimeZone: 'America/New_York',
      Config: [NINE_TO_FIVE('TUESDAY')],
      Tags: { a: '1' },
      LastModifiedTime: updated,
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(h.instance.hoursOfOperations.findByName('Office')).toBeUndefined();
  });

  it('rejects a rename onto another hours name with 409 and changes nothing', async () => {
    const h = await start();
    await h.connect.send(new CreateHoursOfOperationCommand(hoursInput(h, 'Office')));
    const { HoursOfOperationId } = await h.connect.send(
      new CreateHoursOfOperationCommand(hoursInput(h, 'Other')),
    );
    const before = structuredClone(h.instance.hoursOfOperations.require(HoursOfOperationId!).entity);

    await expectError(
      h.connect.send(
        new UpdateHoursOfOperationCommand({
          InstanceId: h.instance.id,
          HoursOfOperationId,
          Name: 'Office',
          TimeZone: 'UTC',
        }),
      ),
      'DuplicateResourceException',
      409,
    );
    expect(h.instance.hoursOfOperations.require(HoursOfOperationId!).entity).toEqual(before);
  });

  it('answers 404 for unknown hours', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new UpdateHoursOfOperationCommand({
          InstanceId: h.instance.id,
          HoursOfOperationId: 'nope',
          Name: 'X',
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('DeleteHoursOfOperation', () => {
  it('refuses with 409 ResourceInUseException while a queue uses the hours, then deletes', async () => {
    const h = await start();
    const { HoursOfOperationId, HoursOfOperationArn } = await h.connect.send(
      new CreateHoursOfOperationCommand(hoursInput(h, 'Office')),
    );
    const queue = h.instance.queues.add({
      id: 'queue-1',
      arn: h.instance.arnFor('queue', 'queue-1'),
      name: 'Sales',
      entity: { QueueId: 'queue-1', Name: 'Sales', HoursOfOperationId },
      quickConnectIds: [],
    });

    await expectError(
      h.connect.send(
        new DeleteHoursOfOperationCommand({
          InstanceId: h.instance.id,
          HoursOfOperationId: HoursOfOperationArn,
        }),
      ),
      'ResourceInUseException',
      409,
    );
    h.instance.queues.remove(queue);
    await h.connect.send(
      new DeleteHoursOfOperationCommand({ InstanceId: h.instance.id, HoursOfOperationId }),
    );

    expect(h.instance.hoursOfOperations.size).toBe(0);
    await expectError(
      h.connect.send(new DescribeHoursOfOperationCommand({ InstanceId: h.instance.id, HoursOfOperationId })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('CreatePrompt and DescribePrompt', () => {
  it('round-trips the prompt document and keeps the S3Uri in state only', async () => {
    const h = await start();
    const created = h.advance();

    const { PromptId, PromptARN } = await h.connect.send(
      new CreatePromptCommand({
        InstanceId: h.instance.id,
        Name: 'Welcome.wav',
        Description: 'Greeting',
        S3Uri: 's3://my-bucket/prompts/welcome.wav',
        Tags: { team: 'ivr' },
      }),
    );
    const { Prompt } = await h.connect.send(
      new DescribePromptCommand({ InstanceId: h.instance.id, PromptId }),
    );

    expect(PromptARN).toBe(`${h.instance.arn}/prompt/${PromptId}`);
    expect(Prompt).toEqual({
      PromptARN,
      PromptId,
      Name: 'Welcome.wav',
      Description: 'Greeting',
      Tags: { team: 'ivr' },
      LastModifiedTime: created,
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(h.instance.prompts.require(PromptId!).s3Uri).toBe('s3://my-bucket/prompts/welcome.wav');
  });

  it('accepts an https S3 URL', async () => {
    const h = await start();
    const uri = 'https://my-bucket.s3.eu-west-1.amazonaws.com/prompts/welcome.wav';

    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Welcome', S3Uri: uri }),
    );

    expect(h.instance.prompts.require(PromptId!).s3Uri).toBe(uri);
  });

  it.each([
    ['a local path', '/tmp/welcome.wav'],
    ['an s3 URI without a key', 's3://my-bucket'],
    ['a non-S3 https URL', 'https://example.com/welcome.wav'],
  ])('rejects %s as S3Uri with 400', async (_label, uri) => {
    const h = await start();

    await expectError(
      h.connect.send(new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Welcome', S3Uri: uri })),
      'InvalidParameterException',
      400,
    );
    expect(h.instance.prompts.size).toBe(0);
  });

  it('rejects a missing S3Uri with 400', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Welcome', S3Uri: undefined }),
      ),
      'InvalidParameterException',
      400,
    );
  });

  it('rejects a duplicate name with 409', async () => {
    const h = await start();
    const input = { InstanceId: h.instance.id, Name: 'Beep.wav', S3Uri: 's3://b/beep.wav' };
    await h.connect.send(new CreatePromptCommand(input));

    await expectError(h.connect.send(new CreatePromptCommand(input)), 'DuplicateResourceException', 409);
  });
});

describe('ListPrompts and SearchPrompts', () => {
  it('lists every prompt in order across pages with exactly the summary members', async () => {
    const h = await start();
    const expected = [];
    for (const name of ['a.wav', 'b.wav', 'c.wav']) {
      const time = h.advance();
      const out = await h.connect.send(
        new CreatePromptCommand({ InstanceId: h.instance.id, Name: name, S3Uri: `s3://b/${name}` }),
      );
      expected.push({
        Id: out.PromptId,
        Arn: out.PromptARN,
        Name: name,
        LastModifiedTime: time,
        LastModifiedRegion: DEFAULT_REGION,
      });
    }

    const first = await h.connect.send(new ListPromptsCommand({ InstanceId: h.instance.id, MaxResults: 2 }));
    const second = await h.connect.send(
      new ListPromptsCommand({ InstanceId: h.instance.id, MaxResults: 2, NextToken: first.NextToken }),
    );

    expect([first.PromptSummaryList, second.PromptSummaryList]).toEqual([
      expected.slice(0, 2),
      expected.slice(2),
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it('searches by name prefix and tag and counts the matches', async () => {
    const h = await start();
    for (const [name, tag] of [
      ['Music_Jazz.wav', 'music'],
      ['Beep.wav', 'music'],
      ['Music_Pop.wav', 'music'],
      ['Music_Rock.wav', 'other'],
    ]) {
      await h.connect.send(
        new CreatePromptCommand({
          InstanceId: h.instance.id,
          Name: name,
          S3Uri: 's3://b/x.wav',
          Tags: { kind: tag! },
        }),
      );
    }

    const result = await h.connect.send(
      new SearchPromptsCommand({
        InstanceId: h.instance.id,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'music_', ComparisonType: 'STARTS_WITH' },
        },
        SearchFilter: { TagFilter: { TagCondition: { TagKey: 'kind', TagValue: 'music' } } },
      }),
    );

    expect(result.ApproximateTotalCount).toBe(2);
    expect(result.Prompts).toEqual(
      ['Music_Jazz.wav', 'Music_Pop.wav'].map((n) => h.instance.prompts.findByName(n)?.entity),
    );
  });
});

describe('UpdatePrompt', () => {
  it('updates name, description and S3Uri and moves LastModifiedTime', async () => {
    const h = await start();
    const { PromptId, PromptARN } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Old.wav', S3Uri: 's3://b/old.wav' }),
    );
    const updated = h.advance();

    const out = await h.connect.send(
      new UpdatePromptCommand({
        InstanceId: h.instance.id,
        PromptId,
        Name: 'New.wav',
        Description: 'Replaced',
        S3Uri: 's3://b/new.wav',
      }),
    );
    const { Prompt } = await h.connect.send(
      new DescribePromptCommand({ InstanceId: h.instance.id, PromptId }),
    );

    expect({ PromptId: out.PromptId, PromptARN: out.PromptARN }).toEqual({ PromptId, PromptARN });
    expect(Prompt).toEqual({
      PromptARN,
      PromptId,
      Name: 'New.wav',
      Description: 'Replaced',
      Tags: {},
      LastModifiedTime: updated,
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(h.instance.prompts.require(PromptId!).s3Uri).toBe('s3://b/new.wav');
  });

  it('keeps names unique: a rename onto another prompt is 409', async () => {
    const h = await start();
    await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'A.wav', S3Uri: 's3://b/a' }),
    );
    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'B.wav', S3Uri: 's3://b/b' }),
    );

    await expectError(
      h.connect.send(new UpdatePromptCommand({ InstanceId: h.instance.id, PromptId, Name: 'A.wav' })),
      'DuplicateResourceException',
      409,
    );
    expect(h.instance.prompts.require(PromptId!).name).toBe('B.wav');
  });

  it('rejects an invalid S3Uri with 400 and keeps the old one', async () => {
    const h = await start();
    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'A.wav', S3Uri: 's3://b/a' }),
    );

    await expectError(
      h.connect.send(new UpdatePromptCommand({ InstanceId: h.instance.id, PromptId, S3Uri: 'ftp://b/a' })),
      'InvalidParameterException',
      400,
    );
    expect(h.instance.prompts.require(PromptId!).s3Uri).toBe('s3://b/a');
  });
});

describe('GetPromptFile', () => {
  it('answers a presigned URL the emulator serves with the audio, which CreatePrompt accepts back', async () => {
    const h = await start();
    const audio = wavBytes('beep');
    h.emulator.world.promptFiles.seed('s3://b/beep.wav', audio);
    const created = h.advance();
    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Beep.wav', S3Uri: 's3://b/beep.wav' }),
    );

    const file = await h.connect.send(new GetPromptFileCommand({ InstanceId: h.instance.id, PromptId }));
    const url = new URL(file.PromptPresignedUrl!);
    const download = await fetch(url);
    const copy = await h.connect.send(
      new CreatePromptCommand({
        InstanceId: h.instance.id,
        Name: 'Beep copy.wav',
        S3Uri: file.PromptPresignedUrl,
      }),
    );

    expect({ LastModifiedTime: file.LastModifiedTime, LastModifiedRegion: file.LastModifiedRegion }).toEqual({
      LastModifiedTime: created,
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(`${url.origin}${url.pathname}`).toBe(
      `${h.emulator.endpoint}/prompt-files/${h.instance.id}/${PromptId}.wav`,
    );
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(audio))).toBe(true);
    expect(h.instance.prompts.require(copy.PromptId!).s3Uri).toBe(file.PromptPresignedUrl);
    expect(
      Buffer.from(h.instance.prompts.require(copy.PromptId!).audio.bytes).equals(Buffer.from(audio)),
    ).toBe(true);
  });

  it('serves the audio until the URL expires, then answers 403 (and CreatePrompt refuses the URL)', async () => {
    const h = await start();
    h.emulator.world.promptFiles.urlExpiresSeconds = 60;
    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Beep.wav', S3Uri: 's3://b/beep.wav' }),
    );
    const file = await h.connect.send(new GetPromptFileCommand({ InstanceId: h.instance.id, PromptId }));

    h.advance(59_000);
    const before = await fetch(file.PromptPresignedUrl!);
    await before.arrayBuffer();
    h.advance(1_000);
    const after = await fetch(file.PromptPresignedUrl!);

    expect(new URL(file.PromptPresignedUrl!).searchParams.get('X-Amz-Expires')).toBe('60');
    expect(before.status).toBe(200);
    expect(after.status).toBe(403);
    expect(await after.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
    await expectError(
      h.connect.send(
        new CreatePromptCommand({
          InstanceId: h.instance.id,
          Name: 'Late.wav',
          S3Uri: file.PromptPresignedUrl,
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });

  it('answers 403 for a URL whose signature was changed', async () => {
    const h = await start();
    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'Beep.wav', S3Uri: 's3://b/beep.wav' }),
    );
    const file = await h.connect.send(new GetPromptFileCommand({ InstanceId: h.instance.id, PromptId }));
    const url = new URL(file.PromptPresignedUrl!);
    url.searchParams.set('X-Amz-Expires', '604800');

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('reads S3Uris from the local S3 when it has one: CreatePrompt and UpdatePrompt keep its bytes, a missing object is 400', async () => {
    const s3 = await startS3rver({ buckets: ['prompt-audio'] });
    onTestFinished(() => s3.close());
    const h = await startWithInstance({
      emulator: {
        promptFiles: {
          s3: { endpoint: s3.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
        },
      },
    });
    const [first, second] = [wavBytes('first'), wavBytes('second')];
    for (const [Key, Body] of [
      ['en/first.wav', first],
      ['en/second take.wav', second],
    ] as const)
      await s3
        .client()
        .send(new PutObjectCommand({ Bucket: 'prompt-audio', Key, Body, ContentType: 'audio/wav' }));

    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({
        InstanceId: h.instance.id,
        Name: 'A.wav',
        S3Uri: 's3://prompt-audio/en/first.wav',
      }),
    );
    const afterCreate = Buffer.from(h.instance.prompts.require(PromptId!).audio.bytes);
    await h.connect.send(
      new UpdatePromptCommand({
        InstanceId: h.instance.id,
        PromptId,
        S3Uri: 'https://prompt-audio.s3.us-east-1.amazonaws.com/en/second%20take.wav',
      }),
    );
    const afterUpdate = h.instance.prompts.require(PromptId!).audio;

    expect(afterCreate.equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(afterUpdate.bytes).equals(Buffer.from(second))).toBe(true);
    expect(afterUpdate).toMatchObject({ contentType: 'audio/wav' });
    expect(afterUpdate.placeholder).toBeUndefined();
    await expectError(
      h.connect.send(
        new CreatePromptCommand({
          InstanceId: h.instance.id,
          Name: 'B.wav',
          S3Uri: 's3://prompt-audio/en/none.wav',
        }),
      ),
      'InvalidParameterException',
      400,
    );
    expect(h.instance.prompts.all().map((p) => p.name)).toEqual(['A.wav']);
  });

  it('answers 404 for an unknown prompt', async () => {
    const h = await start();

    await expectError(
      h.connect.send(new GetPromptFileCommand({ InstanceId: h.instance.id, PromptId: 'nope' })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('DeletePrompt', () => {
  it('deletes the prompt; a second delete is 404', async () => {
    const h = await start();
    const { PromptId } = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'A.wav', S3Uri: 's3://b/a' }),
    );

    await h.connect.send(new DeletePromptCommand({ InstanceId: h.instance.id, PromptId }));

    expect(h.instance.prompts.size).toBe(0);
    await expectError(
      h.connect.send(new DeletePromptCommand({ InstanceId: h.instance.id, PromptId })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('addSystemAgentStatuses', () => {
  it('gives a new instance Available (ROUTABLE) and Offline (OFFLINE)', async () => {
    const h = await start({ systemStatuses: true });
    const [available, offline] = h.instance.agentStatuses.all();

    const list = await h.connect.send(new ListAgentStatusesCommand({ InstanceId: h.instance.id }));
    const described = await h.connect.send(
      new DescribeAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId: available!.id }),
    );

    expect(list.AgentStatusSummaryList?.map((s) => [s.Name, s.Type])).toEqual([
      ['Available', 'ROUTABLE'],
      ['Offline', 'OFFLINE'],
    ]);
    expect(described.AgentStatus).toEqual({
      AgentStatusARN: `${h.instance.arn}/agent-state/${available!.id}`,
      AgentStatusId: available!.id,
      Name: 'Available',
      Type: 'ROUTABLE',
      DisplayOrder: 1,
      State: 'ENABLED',
      Tags: {},
      LastModifiedTime: available!.entity.LastModifiedTime,
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(offline!.entity).toMatchObject({
      Name: 'Offline',
      Type: 'OFFLINE',
      DisplayOrder: 2,
      State: 'ENABLED',
    });
  });
});

describe('CreateAgentStatus and DescribeAgentStatus', () => {
  it('creates a CUSTOM status and round-trips it', async () => {
    const h = await start({ systemStatuses: true });
    const created = h.advance();

    const { AgentStatusId, AgentStatusARN } = await h.connect.send(
      new CreateAgentStatusCommand({
        InstanceId: h.instance.id,
        Name: 'Lunch',
        Description: 'Out for lunch',
        State: 'ENABLED',
        DisplayOrder: 3,
        Tags: { team: 'ops' },
      }),
    );
    const { AgentStatus } = await h.connect.send(
      new DescribeAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId }),
    );

    expect(AgentStatus).toEqual({
      AgentStatusARN: `${h.instance.arn}/agent-state/${AgentStatusId}`,
      AgentStatusId,
      Name: 'Lunch',
      Description: 'Out for lunch',
      Type: 'CUSTOM',
      DisplayOrder: 3,
      State: 'ENABLED',
      Tags: { team: 'ops' },
      LastModifiedTime: created,
      LastModifiedRegion: DEFAULT_REGION,
    });
    expect(AgentStatusARN).toBe(AgentStatus?.AgentStatusARN);
  });

  it('rejects a missing State and a DisplayOrder above 50 with 400', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new CreateAgentStatusCommand({ InstanceId: h.instance.id, Name: 'Lunch', State: undefined }),
      ),
      'InvalidParameterException',
      400,
    );
    await expectError(
      h.connect.send(
        new CreateAgentStatusCommand({
          InstanceId: h.instance.id,
          Name: 'Lunch',
          State: 'ENABLED',
          DisplayOrder: 51,
        }),
      ),
      'InvalidParameterException',
      400,
    );
    expect(h.instance.agentStatuses.size).toBe(0);
  });

  it('rejects the name of a system status with 409', async () => {
    const h = await start({ systemStatuses: true });

    await expectError(
      h.connect.send(
        new CreateAgentStatusCommand({ InstanceId: h.instance.id, Name: 'Available', State: 'ENABLED' }),
      ),
      'DuplicateResourceException',
      409,
    );
  });

  it('stops at 50 statuses per instance, system statuses included, with LimitExceededException', async () => {
    const h = await start({ systemStatuses: true });
    for (let i = 1; i <= 48; i++) {
      await h.connect.send(
        new CreateAgentStatusCommand({ InstanceId: h.instance.id, Name: `S${i}`, State: 'ENABLED' }),
      );
    }

    await expectError(
      h.connect.send(
        new CreateAgentStatusCommand({ InstanceId: h.instance.id, Name: 'S49', State: 'ENABLED' }),
      ),
      'LimitExceededException',
      429,
    );
    expect(h.instance.agentStatuses.size).toBe(50);
  });

  it('answers 404 for an unknown status', async () => {
    const h = await start();

    await expectError(
      h.connect.send(new DescribeAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId: 'nope' })),
      'ResourceNotFoundException',
      404,
    );
  });
});

describe('ListAgentStatuses', () => {
  it('filters by AgentStatusTypes and pages in order with exactly the summary members', async () => {
    const h = await start({ systemStatuses: true });
    const custom = [];
    for (const name of ['Break', 'Lunch', 'Training']) {
      const time = h.advance();
      const out = await h.connect.send(
        new CreateAgentStatusCommand({ InstanceId: h.instance.id, Name: name, State: 'ENABLED' }),
      );
      custom.push({
        Id: out.AgentStatusId,
        Arn: out.AgentStatusARN,
        Name: name,
        Type: 'CUSTOM',
        LastModifiedTime: time,
        LastModifiedRegion: DEFAULT_REGION,
      });
    }

    const first = await h.connect.send(
      new ListAgentStatusesCommand({
        InstanceId: h.instance.id,
        AgentStatusTypes: ['CUSTOM'],
        MaxResults: 2,
      }),
    );
    const second = await h.connect.send(
      new ListAgentStatusesCommand({
        InstanceId: h.instance.id,
        AgentStatusTypes: ['CUSTOM'],
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );
    const system = await h.connect.send(
      new ListAgentStatusesCommand({ InstanceId: h.instance.id, AgentStatusTypes: ['OFFLINE', 'ROUTABLE'] }),
    );
    const all = await h.connect.send(new ListAgentStatusesCommand({ InstanceId: h.instance.id }));

    expect([...(first.AgentStatusSummaryList ?? []), ...(second.AgentStatusSummaryList ?? [])]).toEqual(
      custom,
    );
    expect(second.NextToken).toBeUndefined();
    expect(system.AgentStatusSummaryList?.map((s) => s.Name)).toEqual(['Available', 'Offline']);
    expect(all.AgentStatusSummaryList?.map((s) => s.Name)).toEqual([
      'Available',
      'Offline',
      'Break',
      'Lunch',
      'Training',
    ]);
  });

  it('rejects a NextToken from another type filter', async () => {
    const h = await start({ systemStatuses: true });
    const first = await h.connect.send(
      new ListAgentStatusesCommand({ InstanceId: h.instance.id, MaxResults: 1 }),
    );

    await expectError(
      h.connect.send(
        new ListAgentStatusesCommand({
          InstanceId: h.instance.id,
          AgentStatusTypes: ['CUSTOM'],
          NextToken: first.NextToken,
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });
});

describe('SearchAgentStatuses', () => {
  it('matches type, displayOrder and tag attribute filters and counts the matches', async () => {
    const h = await start({ systemStatuses: true });
    await h.connect.send(
      new CreateAgentStatusCommand({
        InstanceId: h.instance.id,
        Name: 'Break',
        State: 'ENABLED',
        DisplayOrder: 3,
        Tags: { kind: 'pause' },
      }),
    );
    await h.connect.send(
      new CreateAgentStatusCommand({
        InstanceId: h.instance.id,
        Name: 'Lunch',
        State: 'DISABLED',
        Tags: { kind: 'meal' },
      }),
    );

    const custom = await h.connect.send(
      new SearchAgentStatusesCommand({
        InstanceId: h.instance.id,
        SearchCriteria: { StringCondition: { FieldName: 'type', Value: 'CUSTOM', ComparisonType: 'EXACT' } },
      }),
    );
    const firstInOrder = await h.connect.send(
      new SearchAgentStatusesCommand({
        InstanceId: h.instance.id,
        SearchCriteria: {
          StringCondition: { FieldName: 'displayOrder', Value: '1', ComparisonType: 'EXACT' },
        },
      }),
    );
    const tagged = await h.connect.send(
      new SearchAgentStatusesCommand({
        InstanceId: h.instance.id,
        SearchFilter: {
          AttributeFilter: { OrConditions: [{ TagConditions: [{ TagKey: 'kind', TagValue: 'meal' }] }] },
        },
      }),
    );

    expect([custom.ApproximateTotalCount, custom.AgentStatuses?.map((s) => s.Name)]).toEqual([
      2,
      ['Break', 'Lunch'],
    ]);
    expect(firstInOrder.AgentStatuses).toEqual([h.instance.agentStatuses.findByName('Available')?.entity]);
    expect([tagged.ApproximateTotalCount, tagged.AgentStatuses?.map((s) => s.Name)]).toEqual([1, ['Lunch']]);
  });

  it('rejects a FieldName the operation does not support with 400', async () => {
    const h = await start();

    await expectError(
      h.connect.send(
        new SearchAgentStatusesCommand({
          InstanceId: h.instance.id,
          SearchCriteria: { StringCondition: { FieldName: 'timezone', Value: 'x' } },
        }),
      ),
      'InvalidParameterException',
      400,
    );
  });
});

describe('UpdateAgentStatus', () => {
  it('renames a system status but never changes its Type, and moves LastModifiedTime', async () => {
    const h = await start({ systemStatuses: true });
    const available = h.instance.agentStatuses.findByName('Available')!;
    const updated = h.advance();

    await h.connect.send(
      new UpdateAgentStatusCommand({
        InstanceId: h.instance.id,
        AgentStatusId: available.id,
        Name: 'Ready',
        Description: 'Taking contacts',
        DisplayOrder: 5,
      }),
    );
    const { AgentStatus } = await h.connect.send(
      new DescribeAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId: available.id }),
    );

    expect(AgentStatus).toEqual({
      AgentStatusARN: available.arn,
      AgentStatusId: available.id,
      Name: 'Ready',
      Description: 'Taking contacts',
      Type: 'ROUTABLE',
      DisplayOrder: 5,
      State: 'ENABLED',
      Tags: {},
      LastModifiedTime: updated,
      LastModifiedRegion: DEFAULT_REGION,
    });
  });

  it('ResetOrderNumber removes the DisplayOrder; giving both is 400', async () => {
    const h = await start();
    const { AgentStatusId } = await h.connect.send(
      new CreateAgentStatusCommand({
        InstanceId: h.instance.id,
        Name: 'Break',
        State: 'ENABLED',
        DisplayOrder: 4,
      }),
    );

    await expectError(
      h.connect.send(
        new UpdateAgentStatusCommand({
          InstanceId: h.instance.id,
          AgentStatusId,
          DisplayOrder: 2,
          ResetOrderNumber: true,
        }),
      ),
      'InvalidParameterException',
      400,
    );
    await h.connect.send(
      new UpdateAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId, ResetOrderNumber: true }),
    );
    const { AgentStatus } = await h.connect.send(
      new DescribeAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId }),
    );

    expect(AgentStatus?.DisplayOrder).toBeUndefined();
    expect(AgentStatus?.Type).toBe('CUSTOM');
  });

  it('rejects a rename onto another status with 409', async () => {
    const h = await start({ systemStatuses: true });
    const { AgentStatusId } = await h.connect.send(
      new CreateAgentStatusCommand({ InstanceId: h.instance.id, Name: 'Break', State: 'ENABLED' }),
    );

    await expectError(
      h.connect.send(
        new UpdateAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId, Name: 'Offline' }),
      ),
      'DuplicateResourceException',
      409,
    );
    expect(h.instance.agentStatuses.require(AgentStatusId!).name).toBe('Break');
  });
});

describe('tag changes', () => {
  it('do not move LastModifiedTime of hours, prompts or agent statuses', async () => {
    const h = await start({ systemStatuses: true });
    const hours = await h.connect.send(new CreateHoursOfOperationCommand(hoursInput(h, 'Office')));
    const prompt = await h.connect.send(
      new CreatePromptCommand({ InstanceId: h.instance.id, Name: 'A.wav', S3Uri: 's3://b/a' }),
    );
    const status = h.instance.agentStatuses.findByName('Offline')!;
    const arns = [hours.HoursOfOperationArn!, prompt.PromptARN!, status.arn];
    const before = arns.map((arn) => h.instance.findByArn(arn)?.record.entity);
    const snapshot = structuredClone(before);
    h.advance();

    for (const resourceArn of arns) {
      await h.connect.send(new TagResourceCommand({ resourceArn, tags: { added: 'yes' } }));
    }
    const [hoursDoc, promptDoc, statusDoc] = await Promise.all([
      h.connect.send(
        new DescribeHoursOfOperationCommand({
          InstanceId: h.instance.id,
          HoursOfOperationId: hours.HoursOfOperationId,
        }),
      ),
      h.connect.send(new DescribePromptCommand({ InstanceId: h.instance.id, PromptId: prompt.PromptId })),
      h.connect.send(new DescribeAgentStatusCommand({ InstanceId: h.instance.id, AgentStatusId: status.id })),
    ]);

    const withTag = <T extends { Tags?: Record<string, string> }>(doc: T) => ({
      ...doc,
      Tags: { ...doc.Tags, added: 'yes' },
    });
    expect([hoursDoc.HoursOfOperation, promptDoc.Prompt, statusDoc.AgentStatus]).toEqual(
      (snapshot as Array<{ Tags?: Record<string, string> }>).map(withTag),
    );
  });
});

describe('in-process callers', () => {
  it('get copies from Describe and Search, so they cannot change state', async () => {
    const h = await start({ systemStatuses: true });
    const env = { world: h.emulator.world, accounts: h.emulator.accounts };
    const { PromptId } = await call<{ PromptId: string }>(env, h.instance, 'CreatePrompt', {
      Name: 'A.wav',
      S3Uri: 's3://b/a',
    });
    const { HoursOfOperationId } = await call<{ HoursOfOperationId: string }>(
      env,
      h.instance,
      'CreateHoursOfOperation',
      { Name: 'Office', TimeZone: 'UTC', Config: [NINE_TO_FIVE('MONDAY')] },
    );
    const status = h.instance.agentStatuses.findByName('Available')!;
    const before = [h.instance.prompts, h.instance.hoursOfOperations, h.instance.agentStatuses].map((c) =>
      structuredClone(c.all().map((r) => r.entity)),
    );

    const described = await Promise.all([
      call<{ Prompt: { Name?: string } }>(env, h.instance, 'DescribePrompt', { PromptId }),
      call<{ HoursOfOperation: { Name?: string } }>(env, h.instance, 'DescribeHoursOfOperation', {
        HoursOfOperationId,
      }),
      call<{ AgentStatus: { Name?: string } }>(env, h.instance, 'DescribeAgentStatus', {
        AgentStatusId: status.id,
      }),
    ]);
    const searched = await Promise.all(
      ['SearchPrompts', 'SearchHoursOfOperations', 'SearchAgentStatuses'].map((op) =>
        call<Record<string, Array<{ Name?: string }>>>(env, h.instance, op, {}),
      ),
    );
    described[0].Prompt.Name = 'changed';
    described[1].HoursOfOperation.Name = 'changed';
    described[2].AgentStatus.Name = 'changed';
    searched[0]!.Prompts![0]!.Name = 'changed';
    searched[1]!.HoursOfOperations![0]!.Name = 'changed';
    searched[2]!.AgentStatuses![0]!.Name = 'changed';

    expect(
      [h.instance.prompts, h.instance.hoursOfOperations, h.instance.agentStatuses].map((c) =>
        c.all().map((r) => r.entity),
      ),
    ).toEqual(before);
  });
});
