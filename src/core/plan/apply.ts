// Builds the exact body to send: the composed request with cache_control on the chosen blocks.
// Only the containers on the path to a marked block are copied; the input is never mutated.
import type { CacheTtl, ContentBlock, MessageParam, MessagesRequest, TextBlock, ToolDefinition } from '../../shared/anthropic';
import { sortKeys } from '../request/canonical';
import type { PlanBlock } from './blocks';

export interface Marker {
  block: PlanBlock;
  ttl: CacheTtl;
}

function mark<T extends object>(b: T, ttl: CacheTtl): T {
  return { ...b, cache_control: { type: 'ephemeral', ttl } };
}

function unmarked<T extends { cache_control?: unknown }>(b: T): T {
  if (!('cache_control' in b)) return b;
  const { cache_control: _cc, ...rest } = b;
  return rest as T;
}

/** tool_use inputs in stable key order (spec §1.6: unstable key order is a silent miss). */
function stableBlock(b: ContentBlock): ContentBlock {
  const u = unmarked(b as ContentBlock & { cache_control?: unknown }) as ContentBlock;
  return u.type === 'tool_use' ? { ...u, input: sortKeys(u.input) } : u;
}

function contentOf(m: MessageParam): ContentBlock[] {
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
}

function needsCopy(m: MessageParam): boolean {
  return typeof m.content !== 'string' && m.content.some((b) => b.type === 'tool_use' || 'cache_control' in b);
}

export function applyMarkers(request: MessagesRequest, markers: Marker[]): MessagesRequest {
  const at = (section: PlanBlock['section']) => markers.filter((m) => m.block.section === section);
  const { cache_control: _auto, ...rest } = request;
  const out: MessagesRequest = { ...rest };
  if (request.tools) {
    const tools: ToolDefinition[] = request.tools.map((t) => unmarked(t));
    for (const m of at('tools')) tools[m.block.sectionIndex] = mark(tools[m.block.sectionIndex] as ToolDefinition, m.ttl);
    out.tools = tools;
  }
  if (request.system !== undefined) {
    const sys: TextBlock[] = typeof request.system === 'string' ? [{ type: 'text', text: request.system }] : request.system.map((b) => unmarked(b));
    for (const m of at('system')) sys[m.block.sectionIndex] = mark(sys[m.block.sectionIndex] as TextBlock, m.ttl);
    out.system = sys;
  }
  const msgMarkers = at('messages');
  out.messages = request.messages.map((msg, i) => {
    const mine = msgMarkers.filter((m) => m.block.sectionIndex === i);
    if (mine.length === 0 && !needsCopy(msg)) return msg;
    const content = contentOf(msg).map(stableBlock);
    for (const m of mine) content[m.block.contentIndex] = mark(content[m.block.contentIndex] as ContentBlock, m.ttl);
    return { ...msg, content };
  });
  return out;
}
