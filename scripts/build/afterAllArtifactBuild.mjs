/**
 * electron-builder afterAllArtifactBuild hook: signs every update file with UPDATE_SIGNING_KEY and
 * returns the .sig files so they are published next to the installers. A release without the key
 * was already refused in beforePack; a dev build without it just has no signatures.
 */
import { signUpdateFile, UPDATE_FILE } from './update-signature.mjs';
import { isRelease } from './signing.mjs';

/**
 * @param {{ artifactPaths: string[] }} buildResult
 * @param {Record<string, string | undefined>} [env]
 * @returns {Promise<string[]>}
 */
export async function afterAllArtifactBuild(buildResult, env = process.env) {
  const key = env.UPDATE_SIGNING_KEY;
  if (!key) {
    if (isRelease(env)) throw new Error('Release build refused: UPDATE_SIGNING_KEY is not set, the update files would be unsigned.');
    console.warn('[batchdesk] unsigned dev build: update files are not signed (UPDATE_SIGNING_KEY not set)');
    return [];
  }
  const files = buildResult.artifactPaths.filter((p) => UPDATE_FILE.test(p));
  /** @type {string[]} */
  const sigs = [];
  for (const f of files) sigs.push(await signUpdateFile(f, key));
  return sigs;
}
export default afterAllArtifactBuild;
