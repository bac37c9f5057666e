/**
 * The renderer's window on an open batch: rows fetched from main in pages through `rows.window`,
 * kept for the current sort/filter and dropped when main says they changed. Main owns the rows
 * (one writer); this cache only holds what the grid has recently shown.
 */
import type { GridRow, RowsWindow } from '../../../shared/contract';

export const PAGE_SIZE = 256;
/** Pages kept at once (~40k rows): enough for a tall screen and fast scrolling back. */
const MAX_PAGES = 160;

export interface WindowQuery {
  sort?: { column: string; dir: 'asc' | 'desc' };
  filter?: { onlyErrors?: boolean; column?: string; text?: string };
}

export type FetchWindow = (offset: number, limit: number, query: WindowQuery) => Promise<RowsWindow>;

export class PageCache {
  private pages = new Map<number, GridRow[]>();
  private loading = new Map<number, Promise<void>>();
  /** Bumped by every reset: answers to older requests are dropped. */
  private generation = 0;
  total = 0;
  batchRows = 0;
  readOnly = false;
  readOnlyReason: string | null = null;
  version = 0;

  /** Called with the row range [from, to) that has just arrived, to redraw it. */
  private onLoaded: (from: number, to: number) => void = () => {};
  /** A page could not be fetched (shown to the clerk; the page is asked for again on the next draw). */
  private onError: (e: unknown) => void = () => {};

  /** Who redraws arriving rows and shows failures; returns the unsubscribe. */
  listen(onLoaded: (from: number, to: number) => void, onError: (e: unknown) => void): () => void {
    this.onLoaded = onLoaded;
    this.onError = onError;
    return () => {
      this.onLoaded = () => {};
      this.onError = () => {};
    };
  }

  constructor(
    private readonly fetchWindow: FetchWindow,
    private query: WindowQuery,
  ) {}

  /**
   * Fetches the pages holding view positions [from, to) again and swaps them in place (no
   * "loading" flash): used after an edit, with the rows main says changed.
   */
  async refetch(from: number, to: number): Promise<void> {
    const gen = this.generation;
    const first = Math.floor(from / PAGE_SIZE);
    const last = Math.floor(Math.max(from, to - 1) / PAGE_SIZE);
    const offset = first * PAGE_SIZE;
    const w = await this.fetchWindow(offset, Math.min(2000, (last - first + 1) * PAGE_SIZE), this.query);
    if (gen !== this.generation) return;
    this.take(w);
    for (let p = first; p <= last; p++) {
      const rows = w.rows.slice((p - first) * PAGE_SIZE, (p - first + 1) * PAGE_SIZE);
      if (rows.length) this.pages.set(p, rows);
      else this.pages.delete(p);
    }
    this.onLoaded(offset, offset + w.rows.length);
  }

  private take(w: RowsWindow): void {
    this.total = w.total;
    this.batchRows = w.batchRows;
    this.readOnly = w.readOnly;
    this.readOnlyReason = w.readOnlyReason ?? null;
    this.version = w.version;
  }

  /** A change of ours is reflected: its rows that are not cached are fetched when shown. */
  caughtUp(version: number): void {
    this.version = Math.max(this.version, version);
  }

  setQuery(query: WindowQuery): void {
    this.query = query;
    this.reset();
  }

  /** Forget every page (sort, filter, inserts and deletes move rows between positions). */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.loading.clear();
  }

  /** The row at view position `index`, or undefined while its page is on its way (it is requested). */
  row(index: number): GridRow | undefined {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = this.pages.get(page);
    if (rows) {
      // Recently used pages stay: re-insert to the end of the Map's order.
      this.pages.delete(page);
      this.pages.set(page, rows);
      return rows[index - page * PAGE_SIZE];
    }
    this.load(page).catch((e: unknown) => this.onError(e));
    return undefined;
  }

  /** Loads the page holding `index` (resolves when it is there). */
  ensure(index: number): Promise<void> {
    return this.load(Math.floor(index / PAGE_SIZE));
  }

  /** Replaces one cached row by id with fresh data from main (after an edit). */
  patch(rows: readonly GridRow[]): number[] {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const changed: number[] = [];
    for (const [page, list] of this.pages) {
      for (let i = 0; i < list.length; i++) {
        const fresh = byId.get(list[i]!.id);
        if (fresh) {
          list[i] = fresh;
          changed.push(page * PAGE_SIZE + i);
        }
      }
    }
    return changed;
  }

  /** View positions of cached rows with these ids. */
  positionsOf(ids: ReadonlySet<string>): number[] {
    const out: number[] = [];
    for (const [page, list] of this.pages) list.forEach((r, i) => ids.has(r.id) && out.push(page * PAGE_SIZE + i));
    return out;
  }

  /** Ids of the rows at view positions [from, to) that are cached. */
  idsIn(from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = from; i < to; i++) {
      const r = this.peek(i);
      if (r) out.push(r.id);
    }
    return out;
  }

  /** The row if cached, without requesting it. */
  peek(index: number): GridRow | undefined {
    const page = Math.floor(index / PAGE_SIZE);
    return this.pages.get(page)?.[index - page * PAGE_SIZE];
  }

  private load(page: number): Promise<void> {
    if (this.pages.has(page)) return Promise.resolve();
    const pending = this.loading.get(page);
    if (pending) return pending;
    const gen = this.generation;
    const p = this.fetchWindow(page * PAGE_SIZE, PAGE_SIZE, this.query).then(
      (w) => {
        if (gen !== this.generation) return;
        this.loading.delete(page);
        this.pages.set(page, w.rows);
        this.take(w);
        while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
        this.onLoaded(page * PAGE_SIZE, page * PAGE_SIZE + w.rows.length);
      },
      (e: unknown) => {
        if (gen === this.generation) this.loading.delete(page);
        throw e;
      },
    );
    this.loading.set(page, p);
    return p;
  }
}
