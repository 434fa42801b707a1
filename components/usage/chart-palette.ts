/**
 * Series colours: mid-tone hues that keep their contrast on white and on zinc-950, and
 * stay apart for the common colour-vision deficiencies as far as ten hues can.
 * "Other" (index -1) is always grey.
 */
const SERIES_COLOURS = ["#0d9488", "#6366f1", "#f59e0b", "#ec4899", "#0ea5e9", "#84cc16", "#a855f7", "#ef4444", "#14b8a6", "#eab308"];
const OTHER_COLOUR = "#a1a1aa";

/** The colour for a series' stable colour index (lib/activity/usage-charts.ts). */
export function seriesColour(index: number): string {
  return index < 0 ? OTHER_COLOUR : SERIES_COLOURS[index % SERIES_COLOURS.length];
}
