// The panel's view of a prompt's template inputs, parsed by the lazily loaded node bundle
// (src/node/promptSamples.ts) so the YAML and template engines never load at activation.
import type * as vscode from 'vscode';
import type { PromptSamples } from '../../node/promptSamples';

export type { PromptSamples };

/** Undefined when the prompt is no template or has no `sample:` (nothing to edit). */
export async function promptSamples(doc: vscode.TextDocument, root: string, relativePath: string): Promise<PromptSamples | undefined> {
  const { promptSamplesOf } = await import('../../node/bundle');
  return promptSamplesOf(doc.uri.fsPath, doc.getText(), root, relativePath);
}
