// Anthropic's 400s for misplaced cache_control (spec §1.2-§1.5), as the API words them, so the
// planner, the emulator and the predictor reject exactly what the API would reject.
import type { CacheTtl, MessagesRequest } from '../../shared/anthropic';

export const MAX_BREAKPOINTS = 4;

interface Marked {
  /** Anthropic's JSON path of the block, e.g. `messages.3.content.1`. */
  path: string;
  type: string;
  ttl: CacheTtl;
  empty: boolean;
}

function ttlOf(cc: { ttl?: CacheTtl } | undefined): CacheTtl {
  return cc?.ttl ?? '5m';
}

interface RawBlock {
  type?: string;
  text?: unknown;
  cache_control?: { ttl?: CacheTtl };
}

/**
 * Every block in prefix order (tools → system → messages), with its API path. String content
 * (system or a message) is one text block at index 0, as cacheBlocks treats it: automatic caching
 * must see a trailing string message as the real last block (§1.2).
 */
function* allBlocks(request: MessagesRequest): Generator<{ path: string; block: RawBlock }> {
  const tools = request.tools ?? [];
  for (let i = 0; i < tools.length; i++) yield { path: `tools.${i}`, block: tools[i] as RawBlock };
  if (typeof request.system === 'string') yield { path: 'system.0', block: { type: 'text', text: request.system } };
  else if (Array.isArray(request.system)) {
    for (let i = 0; i < request.system.length; i++) yield { path: `system.${i}`, block: request.system[i] as RawBlock };
  }
  const messages = request.messages ?? [];
  for (let i = 0; i < messages.length; i++) {
    const content = messages[i]?.content;
    if (typeof content === 'string') yield { path: `messages.${i}.content.0`, block: { type: 'text', text: content } };
    if (!Array.isArray(content)) continue;
    for (let j = 0; j < content.length; j++) yield { path: `messages.${i}.content.${j}`, block: content[j] as RawBlock };
  }
}

function markedBlocks(request: MessagesRequest): { marked: Marked[]; last?: { path: string; block: RawBlock } } {
  const marked: Marked[] = [];
  let last: { path: string; block: RawBlock } | undefined;
  for (const entry of allBlocks(request)) {
    last = entry;
    const { block, path } = entry;
    if (!block || typeof block !== 'object' || !block.cache_control) continue;
    const type = block.type ?? (path.startsWith('tools') ? 'tool' : 'text');
    marked.push({ path, type, ttl: ttlOf(block.cache_control), empty: type === 'text' && String(block.text ?? '') === '' });
  }
  return { marked, last };
}

/** The last block automatic caching can mark: walks back over thinking and empty text blocks (§1.2). */
export function automaticTarget(request: MessagesRequest): { path: string; block: RawBlock } | undefined {
  const blocks = [...allBlocks(request)];
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    if (!b) continue;
    const type = b.block?.type;
    if (type === 'thinking' || type === 'redacted_thinking') continue;
    if (type === 'text' && String(b.block.text ?? '') === '') continue;
    return b;
  }
  return undefined;
}

/**
 * Returns the message of the 400 Anthropic would answer for this request's cache_control
 * placement, or null when the placement is valid.
 */
export function validateCacheControl(request: MessagesRequest): string | null {
  const { marked } = markedBlocks(request);
  const auto = request.cache_control;
  // The top-level (automatic) breakpoint takes one of the 4 slots (§1.2, §1.4).
  const found = marked.length + (auto ? 1 : 0);
  if (found > MAX_BREAKPOINTS) return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${found}.`;
  for (const m of marked) {
    // Observed API wording (e.g. anthropics/claude-code#50082).
    if (m.empty) return `${m.path}.text: cache_control cannot be set for empty text blocks`;
    // Thinking block params have no cache_control field (§1.3); the API rejects unknown fields in
    // its usual "Extra inputs" form. The exact wording for this case is not in the spec.
    if (m.type === 'thinking' || m.type === 'redacted_thinking') {
      return `${m.path}.${m.type}.cache_control: Extra inputs are not permitted`;
    }
  }
  const ttls: Array<{ path: string; ttl: CacheTtl }> = marked.map((m) => ({ path: m.path, ttl: m.ttl }));
  if (auto) {
    const target = automaticTarget(request);
    const explicit = target?.block.cache_control;
    if (target && explicit && ttlOf(explicit) !== ttlOf(auto)) {
      // §1.2: 400 when the last block already has cache_control with a different TTL.
      return `Top-level cache_control (ttl ${ttlOf(auto)}) conflicts with the cache_control on the last cacheable block ${target.path} (ttl ${ttlOf(explicit)}): automatic caching needs the same TTL there or no cache_control on that block.`;
    }
    if (target && !explicit) ttls.push({ path: target.path, ttl: ttlOf(auto) });
  }
  return ttlOrderError(ttls);
}

/**
 * 1h entries must come before 5m ones (§1.5). What the API answers when they do not is
 * UNCONFIRMED (spec §11 item 4; presumably a 400): this message is ours, not Anthropic's.
 */
function ttlOrderError(ttls: Array<{ path: string; ttl: CacheTtl }>): string | null {
  let first5m: string | undefined;
  for (const t of ttls) {
    if (t.ttl === '5m') first5m ??= t.path;
    else if (first5m) {
      return `cache_control with ttl '1h' at ${t.path} comes after a ttl '5m' breakpoint at ${first5m}: a 1-hour cache entry must appear before any 5-minute cache entries. (The API's exact response to this is unconfirmed; presumably a 400.)`;
    }
  }
  return null;
}
