// Building the page: elements from a tag, attributes and children. Text is always a text node
// (never parsed as HTML), so a transcript or a tool result cannot inject markup.

export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined>;

function fill<E extends Element>(el: E, attrs: Attrs, children: Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces the view: a new heading that takes the focus, so a screen reader hears the new page. */
export function show(view: HTMLElement, title: string, ...content: Child[]): HTMLHeadingElement {
  const heading = h('h1', { tabindex: -1 }, title);
  view.replaceChildren(heading, ...content.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'object' ? c : String(c))));
  document.title = `${title} · switchboard console`;
  return heading;
}

/** One fact of a description list. */
export const fact = (term: string, ...value: Child[]) => [h('dt', {}, term), h('dd', {}, ...value)];
