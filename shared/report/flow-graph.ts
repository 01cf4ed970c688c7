/**
 * The flow graph of a snapshot, for its report: flows, flow modules and queues as nodes, and an
 * edge from each to every other one it references (a flow that transfers to a queue or another
 * flow, or invokes a module; a queue's outbound whisper flow). References are found exactly as a
 * restore finds them (`shared/restore/references.ts`): each document's restorable state, every id
 * and ARN in it turned into the symbol of the snapshot's resource it names. The layout is dagre's
 * (layered, left to right), computed here, so the picture is plain SVG with no script.
 *
 * @packageDocumentation
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { KIND_NAMES, type KindName, restoreOf, type StoredDocument } from '#shared/kinds/index.js';
import {
  type Finding,
  handlesIn,
  type InstanceIdentityLite,
  rewriteSource,
  SourceIndex,
} from '#shared/restore/references.js';

/** The kinds drawn in the flow graph. */
export const FLOW_GRAPH_KINDS = ['flows', 'flow-modules', 'queues'] as const satisfies readonly KindName[];

/** A kind drawn in the flow graph. */
export type FlowGraphKind = (typeof FLOW_GRAPH_KINDS)[number];

/** A resource of the graph. */
export interface FlowGraphNode {
  kind: FlowGraphKind;
  id: string;
  name: string;
  /** A flow's `Type` (`CONTACT_FLOW`, `CUSTOMER_QUEUE`, …), a queue's `QueueType`; else absent. */
  type?: string;
}

/** `from` references `to` (both resource ids of nodes). */
export interface FlowGraphEdge {
  from: string;
  to: string;
}

/** Nodes in kind order (flows, modules, queues), each by name; edges sorted. */
export interface FlowGraph {
  nodes: FlowGraphNode[];
  edges: FlowGraphEdge[];
}

/**
 * The flow graph of a snapshot's documents. A reference to a resource of another kind (a prompt,
 * hours of operation) or to something the snapshot does not hold is not drawn; nor is a resource's
 * reference to itself.
 *
 * @param instance - The snapshot's instance (its id and ARN are recognised inside ARNs).
 * @param documents - The snapshot's documents by kind: all kinds, so that every id resolves to the
 *   resource it names (only the graph's kinds are drawn).
 * @returns The graph. Pure: reads nothing.
 */
export function flowGraph(
  instance: InstanceIdentityLite,
  documents: ReadonlyMap<KindName, readonly StoredDocument[]>,
): FlowGraph {
  const all = KIND_NAMES.flatMap((kind) => (restoreOf(kind).singleton ? [] : (documents.get(kind) ?? [])));
  const index = new SourceIndex(instance, all);
  // A point-in-time view of the instance itself: nothing is remapped, every id stands for itself.
  const context = { source: instance, target: instance, sameInstance: true, index, mapping: {} };
  const drawn = new Set<string>(FLOW_GRAPH_KINDS);
  const nodes: FlowGraphNode[] = [];
  const edges = new Map<string, FlowGraphEdge>();
  for (const kind of FLOW_GRAPH_KINDS) {
    const spec = restoreOf(kind);
    const list = [...(documents.get(kind) ?? [])].sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    );
    for (const document of list) {
      nodes.push({ kind, id: document.id, name: document.name, ...typeOf(document) });
      const findings: Finding[] = [];
      const symbolic = rewriteSource(spec.state(document), context, findings);
      for (const handle of handlesIn(symbolic)) {
        const target = index.at(handle);
        if (!target || !drawn.has(target.kind) || target.id === document.id) continue;
        edges.set(`${document.id}\u0000${target.id}`, { from: document.id, to: target.id });
      }
    }
  }
  const sorted = [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { nodes, edges: sorted };
}

function typeOf(document: StoredDocument): { type?: string } {
  const type = document.resource.Type ?? document.resource.QueueType;
  return typeof type === 'string' ? { type } : {};
}

/** A node with its box: `x`, `y` the top-left corner, in SVG user units (px). */
export interface PlacedNode extends FlowGraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The name as drawn: cut to {@link LABEL_MAX_CHARACTERS} with an ellipsis. */
  label: string;
}

/** An edge with its route, a polyline from the referencing node to the referenced one. */
export interface PlacedEdge extends FlowGraphEdge {
  points: Array<{ x: number; y: number }>;
}

/** A laid-out graph, ready to draw. */
export interface PlacedGraph {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Longest label drawn in a node, in characters; the full name is the node's tooltip. */
export const LABEL_MAX_CHARACTERS = 36;
const CHARACTER_WIDTH = 7;
const NODE_HEIGHT = 34;
const NODE_PADDING = 24;
const MARGIN = 16;

/** Cuts a name to `max` characters (code points), ending in an ellipsis when cut. */
function labelOf(name: string, max = LABEL_MAX_CHARACTERS): string {
  const chars = [...(name || '(no name)')];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/**
 * Lays a graph out with dagre, left to right (a node before the ones it references). Node widths
 * follow their labels (about 7 px a character at the report's 12 px font).
 *
 * @returns Every node and edge placed, and the drawing's size. Pure: the same graph gives the same
 *   layout.
 */
export function layoutFlowGraph(graph: FlowGraph): PlacedGraph {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, edgesep: 8, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  const labels = new Map<string, string>();
  for (const node of graph.nodes) {
    const label = labelOf(node.name);
    labels.set(node.id, label);
    g.setNode(node.id, { width: [...label].length * CHARACTER_WIDTH + NODE_PADDING, height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  dagre.layout(g);
  const nodes = graph.nodes.map((node): PlacedNode => {
    const box = g.node(node.id);
    return {
      ...node,
      label: labels.get(node.id) ?? '',
      x: box.x - box.width / 2,
      y: box.y - box.height / 2,
      width: box.width,
      height: box.height,
    };
  });
  const edges = graph.edges.map(
    (edge): PlacedEdge => ({
      ...edge,
      points: (g.edge(edge.from, edge.to)?.points ?? []).map((p: { x: number; y: number }) => ({
        x: p.x,
        y: p.y,
      })),
    }),
  );
  const size = g.graph();
  return {
    width: Math.ceil(size.width ?? 0) || 2 * MARGIN,
    height: Math.ceil(size.height ?? 0) || 2 * MARGIN,
    nodes,
    edges,
  };
}
