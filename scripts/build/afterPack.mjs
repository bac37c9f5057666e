/** electron-builder afterPack hook: flip the fuses in the packaged binary, before signing. */
import { flipAppFuses } from './fuses.mjs';

/** @param {import('./fuses.mjs').PackContext} context */
export async function afterPack(context) {
  const { binary, wires } = await flipAppFuses(context);
  console.log(`[batchdesk] fuses flipped in ${binary} (${wires} fuse wire${wires === 1 ? '' : 's'})`);
}
export default afterPack;
