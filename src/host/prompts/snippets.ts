// "Copy as curl" and "Copy as SDK code": the exact body a prompt's plan would send, as a shell
// command and as TypeScript for @anthropic-ai/sdk. The key is always `$ANTHROPIC_API_KEY` (read
// from the environment by whoever runs it), never the stored key.
import type { MessagesRequest } from '../../shared/anthropic';

/** The API version SDK 1.x sends (spec: SDK 1.x), so curl and SDK code are the same request. */
const API_VERSION = '2026-10-21';

export function curlOf(request: MessagesRequest, baseUrl: string): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/messages`;
  // A quoted here-document passes the JSON through untouched: no shell escaping to get wrong.
  return [
    `curl ${url} \\`,
    '  -H "x-api-key: $ANTHROPIC_API_KEY" \\',
    `  -H "anthropic-version: ${API_VERSION}" \\`,
    '  -H "content-type: application/json" \\',
    "  --data-binary @- <<'JSON'",
    JSON.stringify(request, null, 2),
    'JSON',
    '',
  ].join('\n');
}

export function sdkCodeOf(request: MessagesRequest, baseUrl: string): string {
  const custom = baseUrl.replace(/\/+$/, '') !== 'https://api.anthropic.com';
  return [
    "import Anthropic from '@anthropic-ai/sdk';",
    '',
    `const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY${custom ? `, baseURL: ${JSON.stringify(baseUrl)}` : ''} });`,
    '',
    `const message = await client.messages.create(${JSON.stringify(request, null, 2)});`,
    '',
    '// What the cache did: cache_creation_input_tokens were written, cache_read_input_tokens were read.',
    'console.log(message.usage);',
    '',
  ].join('\n');
}
