/**
 * The import direction of docs/architecture.md, checked by `npm run lint` (`depcruise`, after Biome).
 *
 * Every rule has a name and a comment that names the layer, so a failure says which boundary was crossed and why.
 * The lib folders form the DAG below: a folder may import only the folders listed for it (and the shared files at
 * the top of lib/). A new folder must be added here before it may import anything in lib.
 */

/** lib folder → the lib folders it may import. Top to bottom, as in docs/architecture.md. */
const LIB_LAYERS = {
  realtime: ["matches", "studies", "auth", "db", "debate"],
  import: ["studies", "matches", "questions", "db", "debate"],
  play: ["studies", "matches", "questions", "auth", "db", "debate"],
  transcripts: ["studies", "matches", "auth", "db", "debate"],
  // matches: model calls are exported with their prompts whole (lib/matches/prompt-parts.ts), as docs/architecture.md allows.
  export: ["studies", "matches", "auth", "db", "debate"],
  studies: ["matches", "models", "questions", "auth", "db", "debate"],
  matches: ["models", "questions", "auth", "db", "debate"],
  analysis: ["studies", "db", "debate"],
  // /readyz's checks (server.ts): the database and its migrations, and dependencies passed in.
  health: ["db"],
  players: ["analysis", "db", "debate"],
  models: ["db", "debate"],
  questions: ["db", "debate"],
  auth: ["db"],
  db: [],
  debate: [],
};

/** Shared single files at the top of lib/ (env, errors, log, random, …): any lib folder may import them. */
const LIB_SHARED_FILES = "^lib/[^/]+\\.ts$";
const TESTS = "\\.test\\.tsx?$";

// lib/debate has its own, stricter rules below (debate-is-pure, debate-no-io).
const folderRules = Object.entries(LIB_LAYERS)
  .filter(([folder]) => folder !== "debate")
  .map(([folder, allowed]) => ({
    name: `lib-${folder}-layer`,
    comment:
      `lib/${folder} may import only ${allowed.length ? allowed.map((f) => `lib/${f}`).join(", ") : "no other lib folder"}` +
      " and the shared lib/*.ts files: the layer order of docs/architecture.md (folders above it import it, never " +
      "the other way round). Move the code to the layer it belongs to, or pass the dependency in.",
    severity: "error",
    from: { path: `^lib/${folder}/`, pathNot: TESTS },
    to: { path: "^lib/", pathNot: [`^lib/(${[folder, ...allowed].join("|")})/`, LIB_SHARED_FILES] },
  }));

module.exports = {
  forbidden: [
    {
      name: "debate-is-pure",
      comment:
        "lib/debate is the pure rules layer (no I/O; the browser imports it): it must not import lib/db, " +
        "lib/realtime, lib/matches, app/ or any other layer above it.",
      severity: "error",
      from: { path: "^lib/debate/" },
      to: { path: "^(app|components|cli)/|^lib/(?!debate/)[^/]+/|^server\\.ts$" },
    },
    {
      name: "debate-no-io",
      comment:
        "lib/debate is the pure rules layer: no Node built-ins (fs, net, child_process, …), no Prisma, no " +
        "socket.io, no model SDKs. Do the I/O in lib/matches and pass the data in.",
      severity: "error",
      from: { path: "^lib/debate/", pathNot: TESTS },
      to: {
        dependencyTypesNot: ["type-only"],
        path: "^(node:)?(fs|net|http|https|child_process|worker_threads|dgram|tls|os|crypto)$|@prisma/|^lib/db/generated(-pg)?/|socket\\.io|^ai$|@ai-sdk/",
      },
    },
    {
      name: "lib-not-importing-app",
      comment:
        "lib/ is below app/ and components/ (docs/architecture.md): a lib file must never import a page, action " +
        "or React component. Move the shared code into lib.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "lib-folder-undeclared",
      comment:
        "Every lib folder has a place in the layer table (LIB_LAYERS in .dependency-cruiser.cjs, and " +
        "docs/architecture.md): declare a new folder there before it imports other lib folders.",
      severity: "error",
      from: { path: "^lib/([^/]+)/", pathNot: [`^lib/(${Object.keys(LIB_LAYERS).join("|")})/`, TESTS] },
      to: { path: "^lib/[^/]+/", pathNot: "^lib/$1/" },
    },
    {
      name: "lib-shared-files-are-leaves",
      comment:
        "The shared files at the top of lib/ (env, errors, log, random, …) are below every lib folder: they may " +
        "import each other, never a lib folder.",
      severity: "error",
      from: { path: LIB_SHARED_FILES, pathNot: TESTS },
      to: { path: "^lib/[^/]+/" },
    },
    ...folderRules,
    {
      name: "no-generated-prisma-in-edges",
      comment:
        "Pages, components, the CLI and server.ts call domain functions in lib; only lib's data modules use the " +
        "generated Prisma client (lib/db/generated).",
      severity: "error",
      from: { path: "^(app|components|cli)/|^server\\.ts$|^proxy\\.ts$" },
      to: { path: "^lib/db/generated(-pg)?/|^@prisma/client" },
    },
    {
      name: "edges-use-db-client-only",
      comment:
        "Pages, route handlers, server actions, socket handlers, the CLI and server.ts may take the database " +
        "client from lib/db (client.ts) and its whole-database operations (migrate, backup, restore), never its " +
        "internals: queries belong in the domain modules of lib.",
      severity: "error",
      from: { path: "^(app|components|cli)/|^server\\.ts$|^proxy\\.ts$|^lib/realtime/" },
      to: {
        path: "^lib/db/",
        pathNot: "^lib/db/(client|errors|health|migrate|backup|backup-files|database-file|restore)\\.ts$",
      },
    },
    {
      name: "no-circular",
      comment: "Import cycles make the layers meaningless and the load order fragile: break the cycle.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve to a file or a package (check the path or the @/ alias).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules|^lib/db/generated(-pg)?/" },
    exclude: { path: "^(node_modules|\\.next)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
