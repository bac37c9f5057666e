/**
 * Bench-only hook (`npm run bench`, bench/grid.ts): when the page defines
 * `window.__batchdeskPaintProbe` before the app loads, the grid reports every cell it has just drawn,
 * so an edit can be timed from the key to the frame that paints its validated cell. Otherwise this
 * is undefined and the grid draws exactly as without it (no drawCell callback at all).
 */
import type { DrawCellCallback, GridCell } from '@glideapps/glide-data-grid';

export type PaintProbe = (col: number, row: number, cell: GridCell) => void;

declare global {
  interface Window {
    __batchdeskPaintProbe?: PaintProbe;
  }
}

const probe = typeof window === 'undefined' ? undefined : window.__batchdeskPaintProbe;

export const paintProbe: DrawCellCallback | undefined = probe
  ? (args, drawContent) => {
      drawContent();
      probe(args.col, args.row, args.cell);
    }
  : undefined;
