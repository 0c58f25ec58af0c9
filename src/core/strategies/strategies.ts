// Breakpoint strategies replayed against a trace. Each sees the trace online (only what came
// before), like a client would. Peers follow what the tools people use do (spec §8, peers.md).
import type { CacheControl, ContentBlock, MessagesRequest, TextBlock } from '../../shared/anthropic';
import type { ModelTable } from '../models/types';
import { tieredStrategy } from './tiered';

export const STRATEGY_NAMES = ['tiered', 'automatic', 'last-two-user', 'system-only', 'none'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface Strategy {
  name: StrategyName;
  /** The body to send for this trace request at `atS` (seconds); may update the strategy's own history. */
  apply(request: MessagesRequest, atS: number): MessagesRequest;
}

const CC5: CacheControl = { type: 'ephemeral' };

function systemBlocks(request: MessagesRequest): TextBlock[] {
  if (typeof request.system === 'string') return request.system ? [{ type: 'text', text: request.system }] : [];
  return request.system ?? [];
}

const eligible = (b: ContentBlock) =>
  b.type !== 'thinking' && b.type !== 'redacted_thinking' && !(b.type === 'text' && b.text === '');

/** Copy with cache_control on the last system block (skipped when it is empty). */
function markSystem(request: MessagesRequest): MessagesRequest {
  const sys = systemBlocks(request).map((b) => ({ ...b }));
  const last = sys[sys.length - 1];
  if (!last || last.text === '') return request;
  last.cache_control = CC5;
  return { ...request, system: sys };
}

/** Cline/Roo/Continue: system plus the last eligible block of each of the last two user messages, 5m. */
function lastTwoUser(request: MessagesRequest): MessagesRequest {
  const r = markSystem(request);
  const messages = r.messages.map((m) => ({ ...m }));
  let marked = 0;
  for (let i = messages.length - 1; i >= 0 && marked < 2; i--) {
    const m = messages[i];
    if (!m || m.role !== 'user') continue;
    const content: ContentBlock[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content.map((b) => ({ ...b }));
    for (let j = content.length - 1; j >= 0; j--) {
      const b = content[j] as ContentBlock;
      if (!eligible(b)) continue;
      (b as { cache_control?: CacheControl }).cache_control = CC5;
      break;
    }
    m.content = content;
    marked++;
  }
  return { ...r, messages };
}

export function createStrategy(name: string, models: ModelTable): Strategy {
  switch (name) {
    case 'tiered':
      return tieredStrategy(models);
    case 'automatic':
      return { name, apply: (r) => ({ ...r, cache_control: CC5 }) };
    case 'last-two-user':
      return { name, apply: lastTwoUser };
    case 'system-only':
      return { name, apply: markSystem };
    case 'none':
      return { name, apply: (r) => r };
    default:
      throw new Error(`unknown strategy '${name}'; choose one of: ${STRATEGY_NAMES.join(', ')}`);
  }
}
