/** The areas `npm run mutate` measures, each with its own score and report. */
export const AREAS = {
  money: ['shared/formats/money.ts'],
  export: ['shared/formats/export/**/*.ts'],
  profiles: ['shared/formats/profiles/**/*.ts'],
  web: ['electron/main/web/**/*.ts'],
  ipc: ['electron/main/ipc/**/*.ts'],
};
