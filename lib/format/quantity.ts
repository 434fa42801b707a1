/**
 * "1 request", "2 requests", "1,234 calls": a count and its noun, agreeing. Pure; the
 * count is grouped in thousands unless a formatted figure is passed (e.g. "1.2K").
 */
export function formatQuantity(count: number, singular: string, options: { plural?: string; figure?: string } = {}): string {
  const figure = options.figure ?? Math.round(count).toLocaleString("en-US");
  return `${figure} ${pluralize(count, singular, options.plural)}`;
}

/** The noun alone: "request" for exactly one, "requests" otherwise (0 requests, 1.5 requests). */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return count === 1 ? singular : plural;
}
