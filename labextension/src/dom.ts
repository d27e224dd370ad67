/**
 * A tiny DOM builder. All text goes in through `textContent`, never `innerHTML`, so
 * messages and catalog texts cannot inject markup into JupyterLab.
 */

type Child = Node | string | null | undefined | false;

export interface IAttrs {
  [name: string]: string | number | boolean | ((event: any) => void) | undefined;
}

export function h(tag: string, attrs: IAttrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'className') {
      node.className = String(value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node: HTMLElement, children: (Child | Child[])[]): void {
  for (const child of children) {
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child !== null && child !== undefined && child !== false) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  }
}

/** Catalog prose with `inline code` rendered as <code>; everything else stays text. */
export function prose(text: string, tag = 'p', className = ''): HTMLElement {
  const node = h(tag, className ? { className } : {});
  text.split(/(`[^`]+`)/).forEach(part => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) {
      node.appendChild(h('code', {}, part.slice(1, -1)));
    } else if (part) {
      node.appendChild(document.createTextNode(part));
    }
  });
  return node;
}
