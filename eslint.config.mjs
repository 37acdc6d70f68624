import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    // Client components must never reach the database or server secrets.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/lib/db", "@/lib/db/*"] }],
    },
  },
  {
    // Money is never a float: amounts are BigInt nano-dollars or integer cents (lib/money/units.ts).
    files: ["lib/{money,billing,pricing,payments,limits,usage}/**/*.ts"],
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
