// Tiny DOM helpers. Text always goes in through textContent: model output and prompt text are
// never parsed as HTML (Markdown goes through markdown.ts, which sanitises).
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) {
    if (c === undefined) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; geometry goes in attributes and looks in classes (no style attribute under the CSP). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function button(label: string, codicon: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, icon(codicon), ` ${label}`);
  b.addEventListener('click', onClick);
  return b;
}

/** Sets text only when it changed, so a patch never touches an unchanged node. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function toggle(node: Element, cls: string, on: boolean): void {
  if (node.classList.contains(cls) !== on) node.classList.toggle(cls, on);
}

/** "$0.0123", "$0.00408", "-$0.00408": the sign before the dollar sign. */
export const usd = (n: number): string => `${n < 0 ? '-' : ''}$${Math.abs(n) < 0.01 ? Math.abs(n).toFixed(5) : Math.abs(n).toFixed(4)}`;
export const int = (n: number): string => n.toLocaleString('en-US');
export const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
export const msText = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
