import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * lib/ is layered (docs/architecture.md), bottom first. A folder imports only from the layers below
 * its own: never from a folder of its own layer, never upward. Tests are exempt (nothing imports them).
 */
export const LAYERS = [
  ["kernel", "money"],
  ["config"],
  ["db"],
  ["http"],
  ["pricing", "catalog", "audit", "accounts", "payments", "invoices"],
  ["auth", "keys"],
  ["alerts"],
  ["ledger"],
  ["org-controls", "usage", "router"],
  ["api"],
  ["server", "admin", "seed"],
  ["testing"],
];

const layerZones = LAYERS.flatMap((layer, i) =>
  layer.map((folder) => ({
    target: `./lib/${folder}`,
    from: LAYERS.slice(i)
      .flat()
      .filter((f) => f !== folder)
      .map((f) => `./lib/${f}`),
    message: `lib/${folder} is in layer ${i} (docs/architecture.md): import only from the layers below it.`,
  })),
).filter((zone) => zone.from.length > 0);

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/db/generated/**",
      ".data*/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Folder layering of lib/ (no cycles between folders). lib/architecture.test.ts proves it bites.
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "import/no-restricted-paths": ["error", { zones: layerZones }] },
  },
  {
    // Client components must never reach the database or server secrets.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/lib/db", "@/lib/db/*"] }],
    },
  },
  {
    // Money is never a float: amounts are BigInt nano-dollars or integer cents (lib/money/units.ts).
    files: ["lib/{money,ledger,pricing,payments,org-controls,usage}/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "Literal[raw=/^[0-9_]*\\.[0-9]/]",
          message: "Money is never a float: use BigInt nano-dollars or integer cents.",
        },
        {
          selector: "CallExpression[callee.name='parseFloat']",
          message: "Money is never a float: parse to BigInt or integer cents.",
        },
        {
          selector: "MemberExpression[property.name='toFixed']",
          message: "Format money with lib/money/format.ts.",
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name=/^(round|floor|ceil|trunc)$/]",
          message: "Round money with lib/money/units.ts (one documented rule), not Math.",
        },
      ],
    },
  },
];

export default config;
