// A prompt's template inputs as the panel shows them: the names the template reads and the
// file's `sample:` values (inline, or from its sample file). Parsing is cheap; no tokenizing.
import type * as vscode from 'vscode';
import { loadSampleFile } from '../../core/plan/promptChecks';
import { nodeFiles } from '../../node/nodeFiles';
import { parsePromptFile } from '../../core/registry/parse';

export interface PromptSamples {
  /** Every input name: the sample's keys, then variables the template reads that the sample lacks. */
  names: string[];
  samples: Record<string, unknown>;
}

/** Undefined when the prompt is no template or has no `sample:` (nothing to edit). */
export async function promptSamples(doc: vscode.TextDocument, root: string, relativePath: string): Promise<PromptSamples | undefined> {
  const parsed = parsePromptFile(doc.uri.fsPath, doc.getText());
  const spec = parsed.spec ?? parsed.partial;
  const t = spec?.template;
  if (!spec || !t) return undefined;
  let samples: Record<string, unknown> = t.inputs ?? {};
  if (t.samplePath !== undefined) samples = (await loadSampleFile({ ...spec, path: relativePath }, nodeFiles(root)).catch(() => ({ inputs: undefined }))).inputs ?? {};
  if (t.samplePath === undefined && !Object.keys(samples).length) return undefined;
  const names = [...Object.keys(samples)];
  for (const v of t.variables) if (!names.includes(v.name) && /^[A-Za-z_]\w*$/.test(v.name)) names.push(v.name);
  return { names: names.slice(0, 50), samples };
}
