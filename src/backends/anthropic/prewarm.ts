// Builds the pre-warm request of spec §1.8: max_tokens 0, not streamed, an EXPLICIT breakpoint on
// the last shared block (not on the placeholder user message), without what §1.8 rejects.
import type { CacheControl, CacheTtl, ContentBlock, MessageParam, MessagesRequest, TextBlock } from '../../shared/anthropic';

export const PREWARM_PLACEHOLDER = 'Warm the cache; no answer needed.';

export interface PrewarmPlan {
  request: MessagesRequest;
  ttl: CacheTtl;
  /** Where the breakpoint went, e.g. `system[0]` or `messages[2].content[1]`. */
  breakpoint: string;
  /** Fields removed because §1.8 rejects them with max_tokens 0 (each may change the cache key). */
  stripped: string[];
}

type Markable = { cache_control?: CacheControl; type?: string; text?: string };

interface Slot {
  where: string;
  block: Markable;
}

function textBlocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** Removes fields that §1.8 says are rejected with max_tokens 0. */
function stripForbidden(req: MessagesRequest): string[] {
  const stripped: string[] = [];
  if (req.stream !== undefined) {
    delete req.stream;
    stripped.push('stream');
  }
  if (req.thinking?.type === 'enabled') {
    delete req.thinking;
    stripped.push('thinking');
  }
  if (req.output_config && 'format' in req.output_config) {
    const { format: _f, ...rest } = req.output_config;
    req.output_config = Object.keys(rest).length ? rest : undefined;
    if (!req.output_config) delete req.output_config;
    stripped.push('output_config.format');
  }
  if (req.tool_choice && (req.tool_choice.type === 'any' || req.tool_choice.type === 'tool')) {
    delete req.tool_choice;
    stripped.push('tool_choice');
  }
  return stripped;
}

/** Every block that could carry a breakpoint, in prefix order. */
function slots(req: MessagesRequest): Slot[] {
  const out: Slot[] = [];
  (req.tools ?? []).forEach((t, i) => out.push({ where: `tools[${i}]`, block: t as Markable }));
  if (Array.isArray(req.system)) req.system.forEach((b, i) => out.push({ where: `system[${i}]`, block: b }));
  req.messages.forEach((m, i) => {
    if (Array.isArray(m.content)) m.content.forEach((b, j) => out.push({ where: `messages[${i}].content[${j}]`, block: b as Markable }));
  });
  return out;
}

const eligible = (b: Markable) => b.type !== 'thinking' && b.type !== 'redacted_thinking' && !(b.type === 'text' && !b.text);

export function buildPrewarmRequest(planned: MessagesRequest, placeholder = PREWARM_PLACEHOLDER): PrewarmPlan {
  const req = structuredClone(planned) as MessagesRequest;
  const stripped = stripForbidden(req);
  const topTtl = req.cache_control?.ttl;
  delete req.cache_control; // automatic caching would mark the placeholder; §1.8 wants an explicit mark
  if (typeof req.system === 'string') req.system = req.system ? [{ type: 'text', text: req.system }] : undefined;
  if (!req.system) delete req.system;
  // A trailing user turn is the next question, not part of what later requests share.
  const last = req.messages[req.messages.length - 1];
  let droppedTtl: CacheTtl | undefined;
  if (last?.role === 'user') {
    req.messages.pop();
    const marks = textBlocks(last.content).map((b) => (b as Markable).cache_control).filter((c): c is CacheControl => !!c);
    droppedTtl = marks.length ? (marks[marks.length - 1]?.ttl ?? '5m') : undefined;
  }
  req.messages = req.messages.map((m): MessageParam => ({ ...m, content: textBlocks(m.content) }));
  const all = slots(req);
  const target = [...all].reverse().find((s) => eligible(s.block));
  if (!target) throw new Error('Nothing to pre-warm: the request has no cacheable block before the next user message.');
  const earlier = all.filter((s) => s !== target && s.block.cache_control);
  let ttl: CacheTtl = target.block.cache_control?.ttl ?? droppedTtl ?? topTtl ?? earlier[earlier.length - 1]?.block.cache_control?.ttl ?? '5m';
  // 1h entries must precede 5m ones: a 1h mark after an earlier 5m mark would be rejected.
  if (ttl === '1h' && earlier.some((s) => (s.block.cache_control?.ttl ?? '5m') === '5m')) ttl = '5m';
  if (!target.block.cache_control && earlier.length >= 4) {
    const drop = earlier[earlier.length - 1] as Slot;
    delete drop.block.cache_control;
  }
  target.block.cache_control = ttl === '5m' ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
  const ph: TextBlock = { type: 'text', text: placeholder };
  req.messages.push({ role: 'user', content: [ph] });
  req.max_tokens = 0;
  return { request: req, ttl, breakpoint: target.where, stripped };
}
