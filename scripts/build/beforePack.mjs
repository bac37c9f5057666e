/** electron-builder beforePack hook: refuse an unsigned release build before anything is packed. */
import { checkSigning } from './signing.mjs';

/** @param {{ electronPlatformName: string }} context */
export async function beforePack(context) {
  checkSigning({ platform: context.electronPlatformName, env: process.env });
}
export default beforePack;
