/**
 * The few web-standard globals shared/ relies on. They exist in every runtime we target (Chromium,
 * Node >= 18, Electron) but shared/ compiles without DOM or Node typings on purpose, so they are
 * declared here, narrowly. Nothing else may be added without the same guarantee.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  constructor();
  encode(input?: string): Uint8Array;
}
