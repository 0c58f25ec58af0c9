// The request as the cache keys it: blocks in prefix order (tools → system → messages), each with
// a running prefix key and running token sum (framing included). Unlike the reference walker
// (test/support/referenceWalker.ts, a sha256 per prefix) this stays well under 1 ms for a 200-turn
// predict: per-block digests and token counts are memoised by canonical content, and the running
// key is a 64-bit mix of those digests.
import { createHash } from 'node:crypto';
import type { CacheControl, ContentBlock, MessagesRequest, ToolDefinition } from '../../shared/anthropic';
import { stableStringify } from '../request/canonical';
import { FRAMING_TOKENS_PER_MESSAGE, type BlockPosition, type Section, type TokenCounter } from '../request/blocks';

/** Here `prefixTokens` includes message framing and the tool-use system prompt. */
export interface CacheBlock extends BlockPosition {
  /** 64-bit cache key of the prefix ending here (model, §1.6 invalidators, every block so far); see keyOf. */
  k0: number;
  k1: number;
  /** Automatic caching and explicit markers may land here (not thinking, not empty text). */
  eligible: boolean;
}

export interface CacheBlockList {
  blocks: CacheBlock[];
  /** Total input tokens: every block plus framing for every message. */
  totalTokens: number;
}

/** The entry key of the prefix ending at `block` (built lazily: only breakpoints and look-backs need it). */
export function keyOf(block: CacheBlock): string {
  return `${block.k0.toString(36)}.${block.k1.toString(36)}`;
}

type AnyBlock = ContentBlock | ToolDefinition;

interface BlockInfo {
  canonical: string;
  d0: number;
  d1: number;
  /** Token count per counter id. */
  tokens: Record<string, number>;
  /** For text blocks: the text this info was computed from (guards the identity memo against in-place edits). */
  text?: string;
}

/**
 * Memo of canonical form, digest and token counts: first by block object identity (the host
 * re-sends the same message objects every turn), then by canonical content (replayed traces parse
 * fresh objects). Bounded so long sessions do not grow it forever.
 */
export class BlockMemo {
  private byObject = new WeakMap<object, BlockInfo>();
  private byCanonical = new Map<string, BlockInfo>();
  /** Characters held by byCanonical's keys (each entry also holds its text): the bound that matters for large prompts. */
  private chars = 0;
  constructor(
    private readonly limit = 50_000,
    private readonly maxChars = 8 * 1024 * 1024,
  ) {}

  info(block: AnyBlock, owner: object): BlockInfo {
    const text = (block as { text?: unknown }).text;
    const known = this.byObject.get(owner);
    if (known && known.text === text) return known;
    const canonical = canonicalOf(block);
    let info = this.byCanonical.get(canonical);
    if (!info) {
      const h = createHash('sha256').update(canonical).digest();
      info = { canonical, d0: h.readUInt32LE(0), d1: h.readUInt32LE(4), tokens: {} };
      if (typeof text === 'string') info.text = text;
      if (this.byCanonical.size >= this.limit || this.chars + canonical.length > this.maxChars) {
        this.byCanonical.clear();
        this.chars = 0;
      }
      // A block larger than the whole budget is never kept by content (its object identity still is).
      if (canonical.length <= this.maxChars) {
        this.byCanonical.set(canonical, info);
        this.chars += canonical.length;
      }
    }
    if (info.text === text) this.byObject.set(owner, info);
    return info;
  }

  tokensOf(info: BlockInfo, counterId: string, block: AnyBlock, counter: TokenCounter): number {
    let t = info.tokens[counterId];
    if (t === undefined) info.tokens[counterId] = t = counter(block);
    return t;
  }
}

function canonicalOf(block: AnyBlock): string {
  const b = block as unknown as Record<string, unknown>;
  // Fast path for plain text blocks: identical to stableStringify's output (keys "text" < "type").
  if (b.type === 'text' && typeof b.text === 'string') {
    const keys = Object.keys(b);
    if (keys.every((k) => k === 'type' || k === 'text' || k === 'cache_control' || (k === 'citations' && b[k] === undefined))) {
      return `{"text":${JSON.stringify(b.text)},"type":"text"}`;
    }
  }
  const { cache_control: _cc, ...rest } = b;
  if ((b.type === 'tool_use' || b.type === 'server_tool_use') && 'input' in rest) return withInputAsSent(rest);
  return stableStringify(rest);
}

/**
 * The block's own fields in sorted order (the API parses them; their order reaches no prompt),
 * but `input` byte for byte as sent: it is rendered into the prompt as given, so the same input
 * with its keys reordered is a different prefix (spec §1.4 exact match, §1.6 troubleshooting).
 */
function withInputAsSent(rest: Record<string, unknown>): string {
  const parts = Object.keys(rest)
    .filter((k) => rest[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${k === 'input' ? JSON.stringify(rest[k]) : stableStringify(rest[k])}`);
  return `{${parts.join(',')}}`;
}

/** 64-bit state mixed with murmur3-style steps; collisions are ~2^-64 per pair of prefixes. */
function mix(h: [number, number], a: number, b: number): void {
  let x = Math.imul(h[0] ^ a, 0xcc9e2d51);
  x = Math.imul((x << 15) | (x >>> 17), 0x1b873593);
  let y = Math.imul(h[1] ^ b, 0x85ebca6b);
  y = Math.imul((y << 13) | (y >>> 19), 0xc2b2ae35);
  h[0] = (x ^ (y >>> 7)) >>> 0;
  h[1] = (y ^ (x >>> 11)) >>> 0;
}

function saltOf(parts: unknown): [number, number] {
  const d = createHash('sha256').update(stableStringify(parts)).digest();
  return [d.readUInt32LE(0), d.readUInt32LE(4)];
}

/**
 * What §1.6 says invalidates each section, folded into the key where that section starts:
 * the model and tool definitions invalidate everything (the model seeds the key; tools are
 * blocks); speed and the citations toggle keep the tools cache but invalidate system and
 * messages; tool_choice, images anywhere, thinking and effort keep tools and system but
 * invalidate messages. (Thinking/effort are "model-specific" for tools/system in the docs;
 * we only invalidate messages, the documented part.)
 */
function sectionSalts(request: MessagesRequest): { system: [number, number]; messages: [number, number] } {
  const { images, citations } = scanMessages(request);
  const effort = (request.output_config as { effort?: unknown } | undefined)?.effort ?? null;
  return {
    system: saltOf(['system', request.speed ?? 'standard', citations]),
    messages: saltOf(['messages', request.tool_choice ?? null, images, request.thinking ?? null, effort]),
  };
}

/**
 * One cheap pass over message blocks (and tool_result contents) for the §1.6 toggles. Images are
 * salted by position, not as a yes/no: adding or removing any image (1 -> 2, 2 -> 1) invalidates
 * the messages cache, while a conversation that only grows keeps the same positions.
 */
function scanMessages(request: MessagesRequest): { images: string[]; citations: boolean } {
  const images: string[] = [];
  let citations = false;
  const visit = (b: unknown, path: string) => {
    const block = b as { type?: string; citations?: { enabled?: boolean }; content?: unknown };
    if (block?.type === 'image') images.push(path);
    if (block?.type === 'document' && block.citations?.enabled) citations = true;
    if (block?.type === 'tool_result' && Array.isArray(block.content)) block.content.forEach((c, k) => visit(c, `${path}.${k}`));
  };
  request.messages.forEach((m, i) => {
    if (Array.isArray(m.content)) m.content.forEach((b, j) => visit(b, `${i}.${j}`));
  });
  return { images, citations };
}

const ROLE_CODE = { user: 1, assistant: 2, system: 3 } as const;

/**
 * `modelId` is the canonical id, so an alias and its id share entries (caches are per model, §1.4).
 * `overheadTokens` (the tool-use system prompt, §3.2; see toolOverhead.ts) precede the first
 * block: they are in every prefix sum and in the total, never in a block's own `tokens`.
 */
export function cacheBlocks(
  request: MessagesRequest,
  modelId: string,
  counter: TokenCounter,
  counterId: string,
  memo: BlockMemo,
  overheadTokens = 0,
): CacheBlockList {
  const blocks: CacheBlock[] = [];
  const seed = saltOf(['model', modelId]);
  const h: [number, number] = [seed[0], seed[1]];
  const salts = sectionSalts(request);
  let total = overheadTokens;
  const push = (section: Section, sectionIndex: number, contentIndex: number, block: AnyBlock, role?: CacheBlock['role'], owner: object = block) => {
    const info = memo.info(block, owner);
    const { canonical } = info;
    const tokens = memo.tokensOf(info, counterId, block, counter);
    // Boundaries and roles are part of the prompt: ["a","b"] in one message ≠ two messages.
    mix(h, info.d0 ^ (contentIndex === 0 ? 0x9e3779b9 : 0), info.d1 ^ (role ? ROLE_CODE[role] : 7));
    total += tokens + (section === 'messages' && contentIndex === 0 ? FRAMING_TOKENS_PER_MESSAGE : 0);
    const type = (block as { type?: string }).type ?? (section === 'tools' ? 'tool' : 'text');
    const text = (block as { text?: unknown }).text;
    blocks.push({
      index: blocks.length,
      section,
      sectionIndex,
      contentIndex,
      role,
      type,
      canonical,
      tokens,
      prefixTokens: total,
      k0: h[0],
      k1: h[1],
      cacheControl: (block as { cache_control?: CacheControl }).cache_control,
      eligible: type !== 'thinking' && type !== 'redacted_thinking' && !(type === 'text' && String(text ?? '') === ''),
    });
  };
  (request.tools ?? []).forEach((t, i) => push('tools', i, 0, t));
  mix(h, salts.system[0], salts.system[1]);
  if (typeof request.system === 'string') push('system', 0, 0, { type: 'text', text: request.system }, undefined, request);
  else (request.system ?? []).forEach((b, i) => push('system', i, 0, b));
  mix(h, salts.messages[0], salts.messages[1]);
  for (let i = 0; i < request.messages.length; i++) {
    const m = request.messages[i];
    if (!m) continue;
    if (typeof m.content === 'string') {
      // The synthesized block is new each time; the message object carries its memo.
      push('messages', i, 0, { type: 'text', text: m.content }, m.role, m);
      continue;
    }
    if (m.content.length === 0) total += FRAMING_TOKENS_PER_MESSAGE;
    m.content.forEach((b, j) => push('messages', i, j, b, m.role));
  }
  return { blocks, totalTokens: total };
}
