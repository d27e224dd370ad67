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

/**
 * Make `target` look like `next`, keeping every subtree that is already equal. A re-lint
 * that changes nothing then leaves the panel's DOM alone, so reading, selecting text or
 * hovering in it is not disturbed. Kept nodes keep their listeners, which were bound to
 * equal data.
 */
export function patch(target: Node, next: Node): void {
  const parent = target.parentNode;
  if (target.isEqualNode(next) || parent === null) {
    return;
  }
  if (!sameShell(target, next)) {
    parent.replaceChild(next, target);
    return;
  }
  const old = [...target.childNodes];
  const fresh = [...next.childNodes];
  fresh.forEach((child, i) => {
    if (i < old.length) {
      patch(old[i], child);
    } else {
      target.appendChild(child);
    }
  });
  old.slice(fresh.length).forEach(child => target.removeChild(child));
}

/** Same element with the same attributes (children aside): safe to patch in place. */
function sameShell(a: Node, b: Node): boolean {
  if (!(a instanceof Element) || !(b instanceof Element) || a.tagName !== b.tagName) {
    return false;
  }
  if (a.attributes.length !== b.attributes.length) {
    return false;
  }
  return [...a.attributes].every(attr => b.getAttribute(attr.name) === attr.value);
}
