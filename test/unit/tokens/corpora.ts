// Varied texts for exactness tests of chunked counting.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function seeded(seed: number): () => number {
  return rng(seed);
}

const prose =
  "It's the prompt engineer's job to keep the prefix stable. They'll say: \"don't touch the system prompt!\" " +
  'Caching pays off after one read (5m) or two reads (1h). Numbers like 1234567 and 3.14159 appear too.\n\n';

const markdown = [
  '# Title',
  '',
  '- item one',
  '  - nested item, with `code`',
  '1. first',
  '2. second',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  return a + b; // sum',
  '}',
  '```',
  '',
  '> quote line.',
  '/// triple slash',
  '//comment right after newline',
  '---',
  '| a | b |',
  '|---|---|',
  '',
].join('\n');

const python = [
  'import os',
  '',
  'class Foo(object):',
  '    """Docstring."""',
  '',
  '    def bar(self, x):',
  '        if x > 10:',
  "            return f'{x!r}'",
  '        \t\treturn None',
  '',
  '',
  '    \n',
  'print(Foo().bar(3))',
  '',
].join('\n');

const json = JSON.stringify({ a: [1, 2, { b: 'c d', e: null }], nested: { deep: { deeper: true } }, s: 'x\ny' }, null, 2) + '\n';
const jsonMin = JSON.stringify({ k: 'v'.repeat(40), list: Array.from({ length: 30 }, (_, i) => i * 7) });
const cjk = '日本語のテキストです。中文文本，还有标点！한국어 텍스트입니다.\n漢字カタカナひらがな\n';
const emoji = 'Emoji 😀🎉👍🏽 family 👨‍👩‍👧 flags 🇫🇷🇯🇵 and math 𝐀𝐁𝐂 𝟏𝟐𝟑\n';
const crlf = 'line one\r\nline two.\r\n\r\n  indented\r\n\tTabbed\r\n/path/after/crlf\r\n';
const special = 'Text <|endoftext|> more <|endofprompt|>\n<|fim_prefix|> and <|im_start|>user\n';
const oddSpace = 'nbsp\u00a0here\u2028line sep\u2029para\u3000ideographic\ufeffbom\u0085nel\n combining e\u0301 a\u0308\n';

export const CORPORA: Record<string, string> = {
  prose: prose.repeat(6),
  markdown: markdown.repeat(4),
  python: python.repeat(5),
  json: json.repeat(3) + jsonMin,
  cjk: cjk.repeat(6),
  emoji: emoji.repeat(4),
  crlf: crlf.repeat(6),
  special: special.repeat(4),
  oddSpace: oddSpace.repeat(4),
  longLine: 'word '.repeat(600) + 'end.',
  mixed: [prose, markdown, python, json, cjk, emoji, crlf, special, oddSpace].join(''),
};

/** Characters chosen to hit every alternative and edge of the o200k pattern. */
const ATOMS = [
  'a', 'B', 'z', 'é', 'ß', 'ǅ', 'ʰ', '中', '\u0301', "'", "'s", "'LL", 's', 't',
  '1', '2', '٣', '½', ' ', '  ', '\t', '\n', '\r', '\r\n', '\n\n', ' \n', '\u00a0', '\u2028', '\u3000',
  '.', ',', '/', '//', '!', '?', '=', '-', '(', ')', '{', '"', '😀', '𝐀', '\ud800', '<|endoftext|>',
];

export function randomText(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ATOMS[Math.floor(next() * ATOMS.length)];
  return s;
}

/** Applies one random edit (insert, delete or replace of 1-3 chars) at a random place. */
export function randomEdit(next: () => number, text: string): string {
  const pos = Math.floor(next() * (text.length + 1));
  const ins = randomText(next, 1 + Math.floor(next() * 2));
  const kind = Math.floor(next() * 3);
  if (kind === 0) return text.slice(0, pos) + ins + text.slice(pos);
  if (kind === 1) return text.slice(0, pos) + text.slice(pos + 1 + Math.floor(next() * 3));
  return text.slice(0, pos) + ins + text.slice(pos + 1);
}
