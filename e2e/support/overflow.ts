/**
 * Horizontal overflow, found in the page: the document wider than the viewport, and the
 * elements that stick out of it. An element inside a box that clips or scrolls sideways
 * (a code block, a wide table's frame) cannot widen the page and is not reported (an
 * absolutely positioned one only when that box is, or contains, its containing block); of a
 * nested run of offenders only the outermost is, by a short CSS path, so a failure names
 * the element to fix.
 */
import type { Page } from "@playwright/test";

export type Overflow = { documentWidth: number; viewportWidth: number; offenders: string[] };

export async function findHorizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const viewportWidth = root.clientWidth;
    const describe = (element: Element): string => {
      const parts: string[] = [];
      for (let node: Element | null = element; node && node !== document.body && parts.length < 4; node = node.parentElement) {
        const classes = [...node.classList]
          .slice(0, 3)
          .map((name) => `.${CSS.escape(name)}`)
          .join("");
        const label = node.getAttribute("aria-label");
        // getAttribute, not .id: a form's .id is its field named "id" when it has one.
        const id = node.getAttribute("id");
        parts.unshift(`${node.tagName.toLowerCase()}${id ? `#${CSS.escape(id)}` : ""}${classes}${label ? `[aria-label="${label}"]` : ""}`);
      }
      return parts.join(" > ");
    };
    const offending = new Set<Element>();
    const offenders: string[] = [];
    for (const element of document.body.querySelectorAll("*")) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.right <= viewportWidth + 1 && rect.left >= -1) continue;
      let contained = false;
      let nested = false;
      // An out-of-flow element is clipped only by its containing block and what contains that.
      let position = getComputedStyle(element).position;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (offending.has(parent)) nested = true;
        const style = getComputedStyle(parent);
        const transformed = style.transform !== "none";
        const containing = position === "absolute" ? style.position !== "static" || transformed : position === "fixed" ? transformed : true;
        if (!containing) continue;
        if (style.overflowX !== "visible") {
          contained = true;
          break;
        }
        position = style.position;
      }
      if (contained) continue;
      offending.add(element);
      if (!nested) offenders.push(`${describe(element)} (${Math.round(rect.left)}…${Math.round(rect.right)} px)`);
    }
    return { documentWidth: root.scrollWidth, viewportWidth, offenders };
  });
}
