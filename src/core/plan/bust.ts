// A one-off cache bust ("Clear Caches… → make the next request write afresh"): a short nonce put
// into the first block of the prefix that can hold text, so every breakpoint's prefix is new and
// nothing, not even an entry found by look-back, can be read. The server cache (Anthropic's, or
// the emulator's, both keyed by the exact prefix) then writes every tier anew.
// Why in place and not a block of its own: a new system block would shift the instructions out of
// system[0] (the tier the shape and the explainer read there), and a new tool would be one the model
// could call. Tools come first in the prefix, so with tools the nonce goes into the first custom
// tool's description (a server tool has no description to change); without one, into system[0].
import type { MessagesRequest, TextBlock, ToolDefinition } from '../../shared/anthropic';
import type { ComposedRequest } from './types';

/** Short and plain: a few tokens, nothing a tokenizer or the model trips over. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{4,32}$/;

export interface CacheBust {
  nonce: string;
}

/** Where the nonce went, in words for the plan's reasons. */
export type BustPlace = { section: 'tools'; index: number; name: string } | { section: 'system'; index: 0 };

const marker = (nonce: string) => `[cache-bust ${nonce}]`;

export function badNonce(nonce: unknown): string | undefined {
  return typeof nonce === 'string' && NONCE_PATTERN.test(nonce) ? undefined : `the cache-bust nonce must be 4 to 32 letters, digits, '-' or '_', got ${JSON.stringify(nonce)}`;
}

/** A custom tool (no `type`, or `custom`): server and built-in tools take no description. */
const isCustomTool = (t: ToolDefinition) => t.type === undefined || t.type === 'custom';

/** The composed request with the nonce added (the input is not changed); throws on a bad nonce. */
export function withCacheBust(composed: ComposedRequest, bust: CacheBust): { composed: ComposedRequest; place: BustPlace } {
  const bad = badNonce(bust.nonce);
  if (bad) throw new Error(bad);
  const request = composed.request;
  const tools = request.tools ?? [];
  const t = tools.findIndex(isCustomTool);
  if (t >= 0) {
    const tool = tools[t] as ToolDefinition;
    const description = tool.description ? `${tool.description}\n\n${marker(bust.nonce)}` : marker(bust.nonce);
    const next = tools.map((x, i) => (i === t ? { ...x, description } : x));
    return { composed: { ...composed, request: { ...request, tools: next } }, place: { section: 'tools', index: t, name: tool.name } };
  }
  const system: TextBlock[] = typeof request.system === 'string' ? [{ type: 'text', text: request.system }] : [...(request.system ?? [])];
  const first = system[0];
  system[0] = first ? { ...first, text: first.text ? `${first.text}\n\n${marker(bust.nonce)}` : marker(bust.nonce) } : { type: 'text', text: marker(bust.nonce) };
  // A system created for the nonce holds instructions (tier 1), like the composer's system[0].
  const instructionBlocks = first ? composed.instructionBlocks : Math.max(1, composed.instructionBlocks);
  return { composed: { ...composed, instructionBlocks, request: { ...request, system } }, place: { section: 'system', index: 0 } };
}

/** The request as it would be without the nonce (the prompt's version must not change with a bust). */
export function withoutCacheBust(request: MessagesRequest, bust: CacheBust): MessagesRequest {
  const tail = `\n\n${marker(bust.nonce)}`;
  const strip = (s: string) => (s === marker(bust.nonce) ? '' : s.endsWith(tail) ? s.slice(0, -tail.length) : s);
  const tools = request.tools?.map((t) => {
    if (t.description === undefined) return t;
    const description = strip(t.description);
    if (description === t.description) return t;
    if (description) return { ...t, description };
    const { description: _d, ...rest } = t;
    return rest as ToolDefinition;
  });
  const out: MessagesRequest = { ...request, ...(tools ? { tools } : {}) };
  const [first, ...rest] = Array.isArray(request.system) ? request.system : [];
  if (!first || first.text === undefined) return out;
  // A system that held only the nonce was made for it: without the nonce there was none.
  if (first.text === marker(bust.nonce) && rest.length === 0) {
    const { system: _s, ...noSystem } = out;
    return noSystem;
  }
  return { ...out, system: [{ ...first, text: strip(first.text) }, ...rest] };
}

export function bustPlaceText(place: BustPlace, nonce: string): string {
  return place.section === 'tools'
    ? `a one-off cache-bust nonce (${nonce}) is in the description of tool '${place.name}' (tools come first in the prefix), so every breakpoint's prefix is new and nothing can be read`
    : `a one-off cache-bust nonce (${nonce}) ends system[0], before every breakpoint, so every breakpoint's prefix is new and nothing can be read`;
}
