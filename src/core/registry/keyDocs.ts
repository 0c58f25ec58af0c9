// What each front-matter key means, for completion and hover in the editor (one table, so the two
// never disagree with each other or with the parser's key list: a test checks the keys).
import { COMMON_KEYS } from './schema';

export const KEY_DOCS: Record<(typeof COMMON_KEYS)[number], string> = {
  id: 'The prompt\'s id in the ledger, the Prompts view and reports (default: the file name). Keep it stable: stats are grouped by it.',
  model: 'The Claude model (an API id or alias from the model table or `promptCacheLab.models`). Default: `promptCacheLab.defaultModel`.',
  ttl: 'Cache lifetime of tier 1 (tools + system instructions): `5m` or `1h`. Omit it to let the TTL advisor follow how often the prompt is used.',
  tools: 'Path of a JSON file with the prompt\'s tool definitions (relative to this file), placed first in the cached prefix. A list of names is Copilot\'s and is ignored here.',
  tool_results: 'Path of a JSON or YAML file that answers this prompt\'s own tools in agent turns: `{"tool": result | [result, …]}`.',
  context: 'Tier 2: documents placed after the instructions, e.g. `{ ttl: 5m, files: [docs/faq.md, "docs/policies/*.md"] }`. Globs expand in sorted order.',
  max_tokens: 'Most output tokens per answer (a positive integer).',
  temperature: 'Checked but never sent: API version 2026-10-21 rejects sampling parameters.',
  top_p: 'Checked but never sent: API version 2026-10-21 rejects sampling parameters.',
  top_k: 'Checked but never sent: API version 2026-10-21 rejects sampling parameters.',
  stop_sequences: 'Strings that end the answer when the model writes them (a list).',
  template: 'Render the body as a template: `jinja2` (nunjucks) or `mustache`. Prompty files are Jinja2 by default; Markdown bodies are literal unless set.',
  sample: 'Example inputs for the template (a mapping, or the path of a JSON/YAML file). A variable in the cached prefix writes a new cache entry per distinct value.',
  description: 'Shown in the Prompts view; also Copilot\'s key.',
  name: 'A display name (information only).',
  tags: 'Labels (information only).',
  version: 'Your own version label (information only; the ledger hashes each tier\'s content anyway).',
  authors: 'Who wrote it (information only).',
  mode: 'Copilot\'s key (ask, edit, agent); accepted and ignored here.',
};
