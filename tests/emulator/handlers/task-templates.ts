/**
 * Task templates: ListTaskTemplates, GetTaskTemplate, CreateTaskTemplate, UpdateTaskTemplate,
 * DeleteTaskTemplate (connect-api-facts.md, "Task templates").
 *
 * The model checks required members, enums and lengths (model.ts). Rules from the API reference
 * that the model does not carry, enforced here with the error the model lists for these operations,
 * PropertyValidationException (400), whose `PropertyList` names each property and its reason:
 * - `Fields` holds exactly one field of type NAME (REQUIRED_PROPERTY_MISSING), and field names are
 *   unique (UNIQUE_CONSTRAINT_VIOLATED);
 * - `Constraints` is required although the model marks it optional, its `RequiredFields` holds at
 *   least one field and the NAME field (REQUIRED_PROPERTY_MISSING);
 * - the request holds a `ContactFlowId` or a field of type QUICK_CONNECT (REQUIRED_PROPERTY_MISSING);
 * - `ContactFlowId` and `SelfAssignFlowId` name flows of the instance (REFERENCED_RESOURCE_NOT_FOUND);
 * - constraints and default values name fields of the template (REFERENCED_RESOURCE_NOT_FOUND).
 *
 * Choices where the reference says nothing (failing loudly rather than guessing in the product's
 * favour):
 * - Names are unique per instance: the model lists no DuplicateResourceException for task templates,
 *   but PropertyValidationException's reasons include RESOURCE_NAME_ALREADY_EXISTS, answered here.
 * - CreateTaskTemplate takes no Tags (the model has none): TagResource afterwards; TagResource moves
 *   no LastModifiedTime.
 * - UpdateTaskTemplate is a full replacement (the API reference): every member it omits is removed,
 *   except Name (kept) and Status (kept; a new template without Status is ACTIVE).
 * - GetTaskTemplate's SnapshotVersion is accepted and ignored (the current template is returned).
 * - ListTaskTemplates without a Status filter lists ACTIVE and INACTIVE templates; Name filters by
 *   the exact name.
 */
import type {
  CreateTaskTemplateRequest,
  CreateTaskTemplateResponse,
  DeleteTaskTemplateRequest,
  GetTaskTemplateRequest,
  GetTaskTemplateResponse,
  ListTaskTemplatesRequest,
  ListTaskTemplatesResponse,
  TaskTemplateMetadata,
  UpdateTaskTemplateRequest,
  UpdateTaskTemplateResponse,
} from '@aws-sdk/client-connect';
import { ConnectError } from '../errors.js';
import type { InstanceState, TaskTemplateRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext } from './context.js';

const PAGE_MAX = 100;

type Reason =
  | 'INVALID_FORMAT'
  | 'UNIQUE_CONSTRAINT_VIOLATED'
  | 'REFERENCED_RESOURCE_NOT_FOUND'
  | 'RESOURCE_NAME_ALREADY_EXISTS'
  | 'REQUIRED_PROPERTY_MISSING';

interface Problem {
  PropertyPath: string;
  Reason: Reason;
  Message: string;
}

/** PropertyValidationException (400) with every problem in its PropertyList. */
function propertyError(problems: Problem[]): ConnectError {
  return new ConnectError(
    'PropertyValidationException',
    `The task template is not valid: ${problems.map((p) => `${p.PropertyPath}: ${p.Message}`).join('; ')}`,
    { PropertyList: problems },
  );
}

type Content = Pick<
  CreateTaskTemplateRequest,
  | 'Name'
  | 'Description'
  | 'ContactFlowId'
  | 'SelfAssignFlowId'
  | 'Constraints'
  | 'Defaults'
  | 'Fields'
  | 'Status'
>;

/**
 * Checks a template's content against the rules of the module comment, and returns it with flow
 * references as ids.
 * @throws ConnectError PropertyValidationException naming every problem.
 */
function checkedContent(instance: InstanceState, content: Content, exceptId?: string): Content {
  const problems: Problem[] = [];
  const fields = content.Fields ?? [];
  const names = new Set<string>();
  fields.forEach((field, i) => {
    const name = field.Id?.Name ?? '';
    if (names.has(name)) {
      problems.push({
        PropertyPath: `Fields[${i}].Id.Name`,
        Reason: 'UNIQUE_CONSTRAINT_VIOLATED',
        Message: `field "${name}" is defined more than once`,
      });
    }
    names.add(name);
  });
  const nameFields = fields.filter((f) => f.Type === 'NAME');
  if (nameFields.length !== 1) {
    problems.push({
      PropertyPath: 'Fields',
      Reason: 'REQUIRED_PROPERTY_MISSING',
      Message: `a template holds exactly one field of type NAME, not ${nameFields.length}`,
    });
  }
  const required = content.Constraints?.RequiredFields ?? [];
  if (!content.Constraints || required.length === 0) {
    problems.push({
      PropertyPath: 'Constraints.RequiredFields',
      Reason: 'REQUIRED_PROPERTY_MISSING',
      Message: 'Constraints.RequiredFields must hold at least one field, the field of type NAME',
    });
  } else if (nameFields.length === 1 && !required.some((r) => r.Id?.Name === nameFields[0]?.Id?.Name)) {
    problems.push({
      PropertyPath: 'Constraints.RequiredFields',
      Reason: 'REQUIRED_PROPERTY_MISSING',
      Message: `the field of type NAME ("${nameFields[0]?.Id?.Name}") must be a required field`,
    });
  }
  const named = (list: Array<{ Id?: { Name?: string } }> | undefined, path: string) =>
    (list ?? []).forEach((entry, i) => {
      if (!names.has(entry.Id?.Name ?? '')) {
        problems.push({
          PropertyPath: `${path}[${i}].Id.Name`,
          Reason: 'REFERENCED_RESOURCE_NOT_FOUND',
          Message: `"${entry.Id?.Name}" is not a field of the template`,
        });
      }
    });
  named(content.Constraints?.RequiredFields, 'Constraints.RequiredFields');
  named(content.Constraints?.ReadOnlyFields, 'Constraints.ReadOnlyFields');
  named(content.Constraints?.InvisibleFields, 'Constraints.InvisibleFields');
  named(content.Defaults?.DefaultFieldValues, 'Defaults.DefaultFieldValues');
  if (!content.ContactFlowId && !fields.some((f) => f.Type === 'QUICK_CONNECT')) {
    problems.push({
      PropertyPath: 'ContactFlowId',
      Reason: 'REQUIRED_PROPERTY_MISSING',
      Message: 'a template needs a ContactFlowId or a field of type QUICK_CONNECT',
    });
  }
  const flowId = (member: 'ContactFlowId' | 'SelfAssignFlowId'): string | undefined => {
    const value = content[member];
    if (!value) return undefined;
    const flow = instance.flows.find(value);
    if (!flow) {
      problems.push({
        PropertyPath: member,
        Reason: 'REFERENCED_RESOURCE_NOT_FOUND',
        Message: `flow ${value} does not exist in instance ${instance.id}`,
      });
    }
    return flow?.id;
  };
  const ContactFlowId = flowId('ContactFlowId');
  const SelfAssignFlowId = flowId('SelfAssignFlowId');
  const other = content.Name ? instance.taskTemplates.findByName(content.Name) : undefined;
  if (other && other.id !== exceptId) {
    problems.push({
      PropertyPath: 'Name',
      Reason: 'RESOURCE_NAME_ALREADY_EXISTS',
      Message: `a task template named "${content.Name}" already exists`,
    });
  }
  if (problems.length) throw propertyError(problems);
  return defined({
    Name: content.Name,
    Description: content.Description,
    ContactFlowId,
    SelfAssignFlowId,
    Constraints: structuredClone(content.Constraints),
    Defaults: content.Defaults && structuredClone(content.Defaults),
    Fields: structuredClone(fields),
    Status: content.Status,
  });
}

/** Drops undefined members, so an answer holds only what is set. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function metadata(record: TaskTemplateRecord): TaskTemplateMetadata {
  const e = record.entity;
  return defined({
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    Description: e.Description,
    Status: e.Status,
    LastModifiedTime: e.LastModifiedTime,
    CreatedTime: e.CreatedTime,
  });
}

/** Handlers of the task-template operations (see the module comment for the rules). */
export const taskTemplateHandlers: HandlerTable = {
  ListTaskTemplates(ctx: RequestContext, input: ListTaskTemplatesRequest): ListTaskTemplatesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const matching = instance.taskTemplates
      .all()
      .filter((t) => (input.Status ? t.entity.Status === input.Status : true))
      .filter((t) => (input.Name ? t.name === input.Name : true));
    const { page, NextToken } = paginate(
      matching.map(metadata),
      input,
      `ListTaskTemplates/${instance.id}/${input.Status ?? ''}/${input.Name ?? ''}`,
      PAGE_MAX,
    );
    return { TaskTemplates: page, NextToken };
  },

  GetTaskTemplate(ctx: RequestContext, input: GetTaskTemplateRequest): GetTaskTemplateResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.taskTemplates.require(input.TaskTemplateId!);
    const { Tags, ...rest } = structuredClone(record.entity);
    return {
      InstanceId: instance.id,
      ...rest,
      ...(Tags && Object.keys(Tags).length ? { Tags } : {}),
    } as GetTaskTemplateResponse;
  },

  /** CreateTaskTemplate: a checked content (400), no tags; Status ACTIVE unless given. */
  CreateTaskTemplate(ctx: RequestContext, input: CreateTaskTemplateRequest): CreateTaskTemplateResponse {
    const instance = ctx.instance(input.InstanceId!);
    const content = checkedContent(instance, input);
    const id = ctx.world.newId();
    const arn = instance.arnFor('task-template', id);
    const now = ctx.world.tick();
    instance.taskTemplates.add({
      id,
      arn,
      name: input.Name!,
      entity: {
        Id: id,
        Arn: arn,
        ...content,
        Name: input.Name!,
        Status: content.Status ?? 'ACTIVE',
        CreatedTime: now,
        LastModifiedTime: now,
      },
    });
    return { Id: id, Arn: arn };
  },

  /** UpdateTaskTemplate: a full replacement of the content (Name and Status kept when omitted). */
  UpdateTaskTemplate(ctx: RequestContext, input: UpdateTaskTemplateRequest): UpdateTaskTemplateResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.taskTemplates.require(input.TaskTemplateId!);
    const name = input.Name ?? record.name;
    const content = checkedContent(instance, { ...input, Name: name, Fields: input.Fields ?? [] }, record.id);
    const now = ctx.world.tick();
    const { Tags, CreatedTime } = record.entity;
    record.entity = defined({
      Id: record.id,
      Arn: record.arn,
      ...content,
      Name: name,
      Status: content.Status ?? record.entity.Status,
      CreatedTime,
      LastModifiedTime: now,
      Tags,
    });
    instance.taskTemplates.rename(record, name);
    const { Tags: _tags, ...answer } = structuredClone(record.entity);
    return { InstanceId: instance.id, ...answer };
  },

  DeleteTaskTemplate(ctx: RequestContext, input: DeleteTaskTemplateRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    instance.taskTemplates.remove(instance.taskTemplates.require(input.TaskTemplateId!));
    return {};
  },
};
