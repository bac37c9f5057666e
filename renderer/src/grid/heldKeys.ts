/**
 * Keys typed while the grid is moving to another cell (F8 waits for main's answer, then scrolls):
 * held, then replayed on the new cell once it is on screen and focused. Otherwise they reach the
 * old cell, or Glide drops a typed key while the selected cell is outside its visible region.
 */
interface HeldKey {
  key: string;
  shiftKey: boolean;
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
/** Give up holding after this long (main did not answer): the keys go where the grid is. */
const MAX_HOLD_MS = 5000;
/** How long a typed character's editor may take to open before the next key is typed anyway. */
const EDITOR_WAIT_FRAMES = 30;

export class HeldKeys {
  private keys: HeldKey[] = [];
  private holding = false;
  /** Typing the held keys: a key typed meanwhile joins the queue, or it would overtake them. */
  private releasing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Which hold is current. A move that lands late (Shift+F8's scroll still settling when F8 is
   * pressed) must not type the keys held for the next move into its own cell.
   */
  private generation = 0;

  constructor(private readonly target: () => HTMLElement | null) {}

  hold(): void {
    this.holding = true;
    const generation = ++this.generation;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.release(generation), MAX_HOLD_MS);
  }

  /** The current hold: a move records it when it starts and releases only that one. */
  get ticket(): number {
    return this.generation;
  }

  /** A trusted key while holding or typing the held keys: kept (true) if it is text, Backspace, Enter or Tab. */
  take(e: KeyboardEvent): boolean {
    if ((!this.holding && !this.releasing) || !e.isTrusted || e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key.length !== 1 && e.key !== 'Enter' && e.key !== 'Tab' && e.key !== 'Backspace') return false;
    if (this.keys.length >= 500) return false;
    e.preventDefault();
    e.stopPropagation();
    this.keys.push({ key: e.key, shiftKey: e.shiftKey });
    return true;
  }

  /** Stop holding and type the held keys, in order, where the grid's focus is now; not if a newer hold began after `ticket`. */
  async release(ticket = this.generation): Promise<void> {
    if (ticket !== this.generation) return;
    clearTimeout(this.timer);
    this.holding = false;
    // Already typing (a hold began and ended while the keys were being typed): that loop goes on.
    if (this.releasing) return;
    this.releasing = true;
    try {
      await this.typeHeld();
    } finally {
      this.releasing = false;
    }
  }

  private async typeHeld(): Promise<void> {
    while (this.keys.length > 0 && !this.holding) {
      const k = this.keys.shift()!;
      const box = document.querySelector<HTMLTextAreaElement | HTMLSelectElement>('#portal textarea, #portal select');
      if (!box) {
        // No editor open: the grid takes the key as if typed (a character opens the editor with it).
        await this.typeIntoGrid(k);
      } else if (k.key === 'Enter' || k.key === 'Tab') {
        box.dispatchEvent(new KeyboardEvent('keydown', { key: k.key, shiftKey: k.shiftKey, bubbles: true, cancelable: true }));
        await frame();
      } else if (box instanceof HTMLTextAreaElement) {
        // A script's keydown types nothing: set the text as the browser would and tell React.
        const next = k.key === 'Backspace' ? box.value.slice(0, -1) : box.value + k.key;
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(box, next);
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }
      // A dropdown already chose its option from the first key; further letters are not replayed.
    }
  }

  /**
   * A character sent to the grid opens its editor, which can take more than a frame on a busy
   * page: the next key must go into it, not to the grid again (which would reopen it with that key
   * alone). Sent once only: a second copy could reach an editor still opening and type the key twice.
   */
  private async typeIntoGrid(k: HeldKey): Promise<void> {
    this.target()?.dispatchEvent(new KeyboardEvent('keydown', { key: k.key, shiftKey: k.shiftKey, bubbles: true, cancelable: true }));
    for (let n = 0; n < EDITOR_WAIT_FRAMES && k.key.length === 1 && !document.querySelector('#portal textarea, #portal select'); n++) await frame();
  }
}
