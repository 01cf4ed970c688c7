/** The resources a seed has created, by name, so later steps (and flow content) can reference them. */

/** A created resource's id and ARN. */
export interface Ref {
  id: string;
  arn: string;
}

/** One named table of references; looking up a name the seed never created is a bug in the seed. */
export class RefTable {
  private readonly byName = new Map<string, Ref>();

  constructor(readonly kind: string) {}

  set(name: string, ref: Ref): Ref {
    this.byName.set(name, ref);
    return ref;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** @throws Error when the seed has not created `name`. */
  get(name: string): Ref {
    const ref = this.byName.get(name);
    if (!ref) throw new Error(`seed bug: no ${this.kind} named "${name}" was created`);
    return ref;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Everything a seed created in one instance, by type and name. */
export class Refs {
  readonly flows = new RefTable('flow');
  readonly flowModules = new RefTable('flow module');
  readonly prompts = new RefTable('prompt');
  readonly queues = new RefTable('queue');
  readonly hours = new RefTable('hours of operation');
  readonly routingProfiles = new RefTable('routing profile');
  readonly securityProfiles = new RefTable('security profile');
  readonly users = new RefTable('user');
  readonly hierarchyGroups = new RefTable('hierarchy group');
  readonly quickConnects = new RefTable('quick connect');
  readonly agentStatuses = new RefTable('agent status');
}
