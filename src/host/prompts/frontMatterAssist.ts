// Completion and hover for front-matter keys and model ids in prompt files: the keys the parser
// knows (with what each means) and the models of the configured table (with their prices).
import * as vscode from 'vscode';
import { KEY_DOCS } from '../../core/registry/keyDocs';
import type { ModelCatalog } from '../modelCatalog';

/** The front matter's last line (0-based), or -1 when the document has none or the position is past it. */
function frontMatterEnd(doc: vscode.TextDocument): number {
  if (doc.lineAt(0).text.trim() !== '---') return -1;
  for (let i = 1; i < Math.min(doc.lineCount, 2000); i++) if (/^(---|\.\.\.)\s*$/.test(doc.lineAt(i).text)) return i;
  return -1;
}

const inFrontMatter = (doc: vscode.TextDocument, line: number) => line > 0 && line < frontMatterEnd(doc);

function modelDoc(models: ModelCatalog, id: string): vscode.MarkdownString | undefined {
  const m = models.tryResolve(id);
  if (!m) return undefined;
  const p = m.prices;
  const prices = m.pricesUnknown ? 'no published prices (add them in `promptCacheLab.models`)' : `input $${p.input} · write 5m $${p.write5m} · write 1h $${p.write1h} · read $${p.read} · output $${p.output} per million tokens`;
  return new vscode.MarkdownString(`**${m.displayName}** (\`${m.id}\`)\n\n${prices}\n\nMinimum cacheable prefix: ${m.minCacheableTokens ?? m.minCacheableAssumed ?? '?'} tokens${m.confirmed ? '' : ' (unconfirmed figures)'}.`);
}

export class FrontMatterAssist implements vscode.CompletionItemProvider, vscode.HoverProvider {
  constructor(private readonly models: ModelCatalog) {}

  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    if (!inFrontMatter(doc, pos.line)) return [];
    const before = doc.lineAt(pos.line).text.slice(0, pos.character);
    if (/^model:\s*\S*$/.test(before)) {
      return this.models.live.all().map((m) => {
        const item = new vscode.CompletionItem(m.id, vscode.CompletionItemKind.Value);
        item.detail = m.displayName;
        const docs = modelDoc(this.models, m.id);
        if (docs) item.documentation = docs;
        return item;
      });
    }
    if (/^ttl:\s*\S*$|^\s+ttl:\s*\S*$/.test(before)) return ['5m', '1h'].map((t) => new vscode.CompletionItem(t, vscode.CompletionItemKind.EnumMember));
    if (!/^[a-z_]*$/.test(before)) return [];
    return Object.entries(KEY_DOCS).map(([key, text]) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.insertText = `${key}: `;
      item.documentation = new vscode.MarkdownString(text);
      return item;
    });
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!inFrontMatter(doc, pos.line)) return undefined;
    const line = doc.lineAt(pos.line).text;
    const m = /^(\s*)([a-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!m) return undefined;
    const keyStart = (m[1] ?? '').length;
    const key = m[2] as string;
    if (pos.character <= keyStart + key.length) {
      const text = (KEY_DOCS as Record<string, string>)[key];
      return text ? new vscode.Hover(new vscode.MarkdownString(`**${key}**: ${text}`)) : undefined;
    }
    if (key === 'model') {
      const id = (m[3] ?? '').replace(/#.*$/, '').trim().replace(/^["']|["']$/g, '');
      const docs = modelDoc(this.models, id);
      return docs ? new vscode.Hover(docs) : new vscode.Hover(new vscode.MarkdownString(`\`${id}\` is not in the model table; add it in \`promptCacheLab.models\`.`));
    }
    return undefined;
  }
}
