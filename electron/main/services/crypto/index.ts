export { Sealer } from './sealer';
export { FileKeySource, SafeStorageKeySource, KEY_FILE, WRAPPED_KEY_FILE, type KeySource, type SafeStorageLike } from './keySource';
