/**
 * HeldKeys (keys typed while the grid moves to another cell) in jsdom, against a stand-in for
 * Glide's grid: a keydown on the target opens an editor textarea in #portal holding that key, as
 * Glide does. The real grid is driven in Chromium by test/e2e/editor.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeldKeys } from '../../renderer/src/grid/heldKeys';

/** A key as the browser delivers it: take() keeps trusted keys only, which a script cannot make. */
function typed(key: string): KeyboardEvent {
  return { key, isTrusted: true, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, preventDefault() {}, stopPropagation() {} } as unknown as KeyboardEvent;
}

let grid: HTMLDivElement;
let portal: HTMLDivElement;
/** Keys the grid received while no editor was open. */
let gridKeys: string[];
/** How many of the first keydowns the grid ignores (opens no editor for). */
let dropFirst: number;
/** Open the editor a frame after the key, as Glide does on a busy page. */
let openLater: boolean;

beforeEach(() => {
  gridKeys = [];
  dropFirst = 0;
  openLater = false;
  portal = document.createElement('div');
  portal.id = 'portal';
  grid = document.createElement('div');
  document.body.append(grid, portal);
  grid.addEventListener('keydown', (e) => {
    gridKeys.push(e.key);
    if (dropFirst > 0) {
      dropFirst--;
      return;
    }
    if (e.key.length !== 1) return;
    const box = document.createElement('textarea');
    box.value = e.key;
    if (openLater) requestAnimationFrame(() => portal.append(box));
    else portal.append(box);
  });
});

afterEach(() => {
  grid.remove();
  portal.remove();
});

const editorText = () => portal.querySelector('textarea')?.value;

describe('held keys', () => {
  it('types the held keys into the editor the first one opens, in order', async () => {
    const held = new HeldKeys(() => grid);
    held.hold();
    for (const k of '12') expect(held.take(typed(k))).toBe(true);
    await held.release();
    expect(gridKeys).toEqual(['1']);
    expect(editorText()).toBe('12');
  });

  it('keeps the keys of a newer hold when an older move lands late', async () => {
    const held = new HeldKeys(() => grid);
    held.hold();
    const older = held.ticket;
    held.hold(); // F8 pressed while Shift+F8's scroll was still settling
    const newer = held.ticket;
    expect(newer).not.toBe(older);
    held.take(typed('1'));
    await held.release(older);
    // Nothing typed, and still holding: the next key is kept too.
    expect(gridKeys).toEqual([]);
    expect(held.take(typed('2'))).toBe(true);
    await held.release(newer);
    expect(editorText()).toBe('12');
  });

  it('sends a character once, even when the grid opened no editor for it', async () => {
    const held = new HeldKeys(() => grid);
    dropFirst = 1;
    held.hold();
    held.take(typed('1'));
    await held.release();
    expect(gridKeys).toEqual(['1']);
    expect(editorText()).toBeUndefined();
  });

  it('a key typed while the held keys are being typed joins them, after them (else it reaches the grid before them)', async () => {
    const held = new HeldKeys(() => grid);
    openLater = true;
    held.hold();
    held.take(typed('1'));
    const typing = held.release();
    // the editor for "1" is not open yet: the clerk's next keys must wait their turn
    expect(held.take(typed('3'))).toBe(true);
    expect(held.take(typed('Enter'))).toBe(true);
    await typing;
    expect(gridKeys).toEqual(['1']);
    expect(editorText()).toBe('13');
    // once typed, keys are the browser's again
    expect(held.take(typed('4'))).toBe(false);
  });

  it('does not hold keys with a modifier, or when not holding', () => {
    const held = new HeldKeys(() => grid);
    expect(held.take(typed('1'))).toBe(false);
    held.hold();
    expect(held.take({ ...typed('c'), ctrlKey: true } as KeyboardEvent)).toBe(false);
    expect(held.take({ ...typed('1'), isTrusted: false } as KeyboardEvent)).toBe(false);
    expect(held.take(typed('ArrowDown'))).toBe(false);
    expect(held.take(typed('Enter'))).toBe(true);
  });
});
