/**
 * The Electron fuses Batchdesk ships with, flipped in the packaged binary before it is signed.
 * strictlyRequireAllFuses: an Electron upgrade that adds a fuse fails the build until it is decided.
 */
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** @type {Record<import('@electron/fuses').FuseV1Options, boolean>} */
export const FUSES = {
  [FuseV1Options.RunAsNode]: false, // ELECTRON_RUN_AS_NODE cannot turn the app into a node binary
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false, // no --inspect / --inspect-brk
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false, // the renderer is served from app://, not file://
  [FuseV1Options.WasmTrapHandlers]: true, // Electron's default; keeps WebAssembly bounds checks fast
};

/** electron-builder's Arch enum: 3 is arm64. */
const ARM64 = 3;

/**
 * @param {string} platform @param {number} arch
 * @returns {import('@electron/fuses').FuseV1Config}
 */
export function fuseConfig(platform, arch) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses breaks the arm64 ad-hoc signature; signing later replaces it in a release.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === ARM64,
    ...FUSES,
  };
}

/**
 * @typedef {{ appOutDir: string, electronPlatformName: string, arch: number,
 *   packager: { appInfo: { productFilename: string }, executableName: string } }} PackContext
 */

/**
 * Where the fuse wire lives in the packaged app electron-builder just laid out.
 * @param {PackContext} ctx
 */
export function electronBinary(ctx) {
  const { appOutDir, electronPlatformName, packager } = ctx;
  const info = packager.appInfo;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${info.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${info.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

/** @param {PackContext} context */
export async function flipAppFuses(context) {
  const binary = electronBinary(context);
  const wires = await flipFuses(binary, fuseConfig(context.electronPlatformName, context.arch));
  return { binary, wires };
}
