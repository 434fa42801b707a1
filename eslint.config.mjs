import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ["node_modules/**", ".next/**", "lib/db/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  // The walls between layers (docs/architecture.md, "Layers and the rules that keep them").
  // Services do not reach up into the composition root (lib/server): it hands them what
  // they need. Their http/ folders and lib/http are the route handlers' bodies (the front) and may.
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/server/**", "lib/http/**", "lib/*/http/**", "lib/**/*.test.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./lib",
              from: "./lib/server",
              message: "A service does not reach up into the composition root: take what you need as a parameter (lib/server wires it).",
            },
          ],
        },
      ],
    },
  },
  // The routing core imports nothing of the services, Next, React or Prisma: they plug into
  // its ports. Its tests may compose it with real services, so they are exempt.
  {
    files: ["lib/gateway/**/*.ts"],
    ignores: ["lib/gateway/**/*.test.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./lib/gateway",
              from: "./lib",
              except: ["./gateway"],
              message: "lib/gateway is the core: services plug into its ports (lib/gateway/ports.ts); it does not import them.",
            },
          ],
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next", "next/*", "react", "react/*", "react-dom", "react-dom/*", "@prisma/*", "server-only", "@/*"],
              message: "lib/gateway stays free of Next, React and Prisma, and imports its own files relatively.",
            },
          ],
        },
      ],
    },
  },
  // Components and pages read through services, never the database client.
  {
    files: ["components/**/*.{ts,tsx}", "app/**/*.{ts,tsx}"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./components", from: "./lib/db", message: "Components get their data from props or the console API, never the database." },
            {
              target: "./app",
              from: "./lib/db",
              message: "Pages and routes read through services (pages: lib/server/page-reads.ts), never the database client.",
            },
          ],
        },
      ],
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@prisma/*"], message: "Pages, routes and components never touch Prisma: go through a service." }] },
      ],
    },
  },
  // No import cycles anywhere in the application code.
  {
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "cli/**/*.ts", "scripts/**/*.ts"],
    ignores: ["lib/db/generated/**"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
];

export default config;
