// The session status bar item: `$(database) 78% hit · $0.042 · saved $0.31` for the current
// session, from the ledger's totals (never recomputed here), with a breakdown by bucket in the
// tooltip, a click that opens the panel, and a warning background past promptCacheLab.budgetUsd.
import * as vscode from 'vscode';
import type { Totals } from '../../core/ledger/reducers';
import { CommandId } from '../commandIds';
import { readSettings } from '../config';

const n = (x: number) => x.toLocaleString('en-US');

/** Dollars with 2 significant decimals below a cent, 2 decimals above. */
export function shortUsd(usd: number): string {
  const abs = Math.abs(usd);
  const text = abs >= 0.995 ? abs.toFixed(2) : abs >= 0.01 ? abs.toFixed(3) : abs === 0 ? '0' : abs.toPrecision(2);
  return `${usd < 0 ? '-' : ''}$${text}`;
}

export function sessionText(t: Totals): string {
  if (t.requests === 0) return '$(database) no requests yet';
  const est = t.costExact ? '' : '≈';
  return `$(database) ${Math.round(t.hitRatio * 100)}% hit · ${est}${shortUsd(t.costUsd)} · saved ${est}${shortUsd(t.savedUsd)}`;
}

export function sessionTooltip(t: Totals, budgetUsd: number): vscode.MarkdownString {
  const b = t.tokens;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**Prompt Cache Lab: this session**\n\n');
  md.appendMarkdown(`| | tokens |\n|---|---:|\n| input | ${n(b.input)} |\n| cache write 5m | ${n(b.cacheWrite5m)} |\n| cache write 1h | ${n(b.cacheWrite1h)} |\n| cache read | ${n(b.cacheRead)} |\n| output | ${n(b.output)} |\n\n`);
  md.appendMarkdown(`Cost ${t.costExact ? '' : '≈'}${shortUsd(t.costUsd)}, without caching ${shortUsd(t.noCacheUsd)}, saved ${shortUsd(t.savedUsd)}; hit ratio ${(t.hitRatio * 100).toFixed(1)}% of input-side tokens.\n\n`);
  md.appendMarkdown(`${n(t.requests)} request(s): ${n(t.answered)} answered, ${n(t.local)} local, ${n(t.failed)} failed, ${n(t.aborted)} cancelled.`);
  if (budgetUsd > 0) md.appendMarkdown(`\n\nBudget ${shortUsd(budgetUsd)} (promptCacheLab.budgetUsd): ${Math.round((t.costUsd / budgetUsd) * 100)}% used.`);
  return md;
}

export class SessionItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly totals: () => Totals) {
    this.item = vscode.window.createStatusBarItem('promptCacheLab.session', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'Prompt Cache Lab: session cost';
    this.item.command = CommandId.openPanel;
    this.refresh();
  }

  get text(): string {
    return this.item.text;
  }

  refresh(): void {
    const t = this.totals();
    const s = readSettings();
    this.item.text = sessionText(t);
    this.item.tooltip = sessionTooltip(t, s.budgetUsd);
    this.item.backgroundColor = s.budgetUsd > 0 && t.costUsd > s.budgetUsd ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (s['statusBar.enabled']) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
