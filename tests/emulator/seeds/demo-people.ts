/** The organisation of the `demo-source` contact center: hierarchy groups and the 40 staff. */

/** Hierarchy levels (UpdateUserHierarchyStructure). */
export const DEMO_LEVELS = ['Region', 'Site', 'Team'] as const;

/** Hierarchy groups top-down: name → parent (undefined for level one). */
export const DEMO_GROUPS: ReadonlyArray<{ name: string; parent?: string }> = [
  { name: 'North America' },
  { name: 'Europe' },
  { name: 'Seattle', parent: 'North America' },
  { name: 'Dallas', parent: 'North America' },
  { name: 'Dublin', parent: 'Europe' },
  { name: 'Tier 1 Support', parent: 'Seattle' },
  { name: 'Tier 2 Support', parent: 'Seattle' },
  { name: 'Inside Sales', parent: 'Dallas' },
  { name: 'Customer Retention Team', parent: 'Dallas' },
  { name: 'EMEA Support', parent: 'Dublin' },
  { name: 'EMEA Billing', parent: 'Dublin' },
];

/** A team: its hierarchy group, routing profile, site and desk phone prefix. */
export interface DemoTeam {
  group: string;
  routingProfile: string;
  site: string;
  phonePrefix: string;
}

export const DEMO_TEAMS: readonly DemoTeam[] = [
  { group: 'Tier 1 Support', routingProfile: 'Support Agents', site: 'Seattle', phonePrefix: '+1206555' },
  { group: 'Tier 2 Support', routingProfile: 'Support Agents', site: 'Seattle', phonePrefix: '+1206555' },
  { group: 'Inside Sales', routingProfile: 'Sales Agents', site: 'Dallas', phonePrefix: '+1214555' },
  {
    group: 'Customer Retention Team',
    routingProfile: 'Sales Agents',
    site: 'Dallas',
    phonePrefix: '+1214555',
  },
  { group: 'EMEA Support', routingProfile: 'Support Agents', site: 'Dublin', phonePrefix: '+3531555' },
  { group: 'EMEA Billing', routingProfile: 'Billing Specialists', site: 'Dublin', phonePrefix: '+3531555' },
];

/** One member of staff, as CreateUser will receive them. */
export interface DemoPerson {
  firstName: string;
  lastName: string;
  /** Hierarchy group, if any. */
  group?: string;
  routingProfile: string;
  securityProfiles: string[];
  tags?: Record<string, string>;
}

const NAMES: ReadonlyArray<[string, string]> = [
  ['Olivia', 'Bennett'],
  ['Liam', "O'Connor"],
  ['Maya', 'Patel'],
  ['Carlos', 'Mendoza'],
  ['Siobhan', 'Murphy'],
  ['Grace', 'Kim'],
  ['Ethan', 'Walker'],
  ['Ava', 'Thompson'],
  ['Noah', 'Garcia'],
  ['Sophia', 'Nguyen'],
  ['Lucas', 'Martin'],
  ['Isabella', 'Rossi'],
  ['Mason', 'Clark'],
  ['Mia', 'Lewis'],
  ['James', 'Robinson'],
  ['Amelia', 'Young'],
  ['Benjamin', 'Hall'],
  ['Harper', 'Allen'],
  ['Elijah', 'Wright'],
  ['Evelyn', 'Scott'],
  ['Henry', 'Green'],
  ['Abigail', 'Adams'],
  ['Alexander', 'Baker'],
  ['Emily', 'Nelson'],
  ['Daniel', 'Carter'],
  ['Chloe', 'Mitchell'],
  ['Matthew', 'Perez'],
  ['Zoe', 'Roberts'],
  ['Samuel', 'Turner'],
  ['Lily', 'Phillips'],
  ['David', 'Campbell'],
  ['Hannah', 'Parker'],
  ['Joseph', 'Evans'],
  ['Nora', 'Edwards'],
  ['Owen', 'Collins'],
  ['Aoife', 'Byrne'],
  ['Ciaran', 'Doyle'],
  ['Niamh', 'Walsh'],
  ['Sean', 'Kelly'],
  ['Ines', 'Fernandes'],
];

/**
 * The 40 staff: 2 regional directors, 3 site managers, a quality analyst, a workforce analyst, and
 * 33 agents spread over the six teams (the first agent of each team is its team lead).
 */
export function demoPeople(): DemoPerson[] {
  const person = (index: number, rest: Omit<DemoPerson, 'firstName' | 'lastName'>): DemoPerson => {
    const [firstName, lastName] = NAMES[index]!;
    return { firstName, lastName, ...rest };
  };
  const people: DemoPerson[] = [
    person(0, {
      group: 'North America',
      routingProfile: 'Supervisors',
      securityProfiles: ['CallCenterManager', 'Agent'],
      tags: { Role: 'Director' },
    }),
    person(1, {
      group: 'Europe',
      routingProfile: 'Supervisors',
      securityProfiles: ['CallCenterManager', 'Agent'],
      tags: { Role: 'Director' },
    }),
    ...['Seattle', 'Dallas', 'Dublin'].map((site, i) =>
      person(2 + i, {
        group: site,
        routingProfile: 'Supervisors',
        securityProfiles: ['CallCenterManager', 'Agent'],
        tags: { Role: 'Site Manager', Site: site },
      }),
    ),
    person(5, { routingProfile: 'Basic Routing Profile', securityProfiles: ['QualityAnalyst'] }),
    person(6, {
      group: 'North America',
      routingProfile: 'Basic Routing Profile',
      securityProfiles: ['Workforce Analyst'],
      tags: { Role: 'Analyst' },
    }),
  ];
  const leads = new Set<string>();
  for (let index = 7; index < NAMES.length; index++) {
    const team = DEMO_TEAMS[(index - 7) % DEMO_TEAMS.length]!;
    const isLead = !leads.has(team.group);
    leads.add(team.group);
    people.push(
      person(index, {
        group: team.group,
        routingProfile: team.routingProfile,
        securityProfiles: isLead ? ['Agent', 'Team Lead'] : ['Agent'],
        tags: { Role: isLead ? 'Team Lead' : 'Agent', Site: team.site, Team: team.group },
      }),
    );
  }
  return people;
}

/** `olivia.bennett` (letters only, lower case). */
export function usernameOf(person: DemoPerson): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  return `${clean(person.firstName)}.${clean(person.lastName)}`;
}
