// Raw o200k_base counts: the base of every local estimate. The ranks (2.3 MB) load on first use.
import type { Tiktoken } from 'js-tiktoken/lite';

let encoder: Tiktoken | undefined;

function getEncoder(): Tiktoken {
  if (!encoder) {
    // Lazy: nothing heavy is loaded before the first count.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Tiktoken: Ctor } = require('js-tiktoken/lite') as typeof import('js-tiktoken/lite');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ranks = require('js-tiktoken/ranks/o200k_base') as { default?: unknown } & Record<string, unknown>;
    encoder = new Ctor((ranks.default ?? ranks) as ConstructorParameters<typeof Ctor>[0]);
  }
  return encoder;
}

/**
 * o200k_base token count of `text`. Special-token strings such as `<|endoftext|>` are counted as
 * plain text (the prompt is user text, never control tokens), so this never throws on content.
 */
export function countO200k(text: string): number {
  if (text.length === 0) return 0;
  return getEncoder().encode(text, [], []).length;
}
