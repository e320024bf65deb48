import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "data/**", ".data/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Plain JavaScript scripts run on Node.
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // The layers run one way: a route never reaches the database directly.
    files: ["app/routes/**", "app/components/**", "app/root.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/db/**", "kysely"], message: "Routes call services; services use db/queries." }] },
      ],
    },
  },
  {
    // The database layer is the bottom one: schema, migrations, connection and queries.
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/app/**", "**/emails/**"], message: "db/ is the bottom layer: it never imports app/ or emails/." }] },
      ],
    },
  },
  {
    // The domain folder holds the rules themselves: pure, importing nothing of ours or anyone's.
    files: ["domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../*", "!./*", "kysely", "pg", "node:*", "nodemailer", "luxon", "zod"],
              message: "domain/ is pure: it imports only itself.",
            },
          ],
        },
      ],
    },
  },
  {
    // Machines are pure: no I/O, no clock, no database.
    files: ["machines/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/db/**", "kysely", "pg", "node:*", "nodemailer"], message: "Machines are pure." }] },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Dates arrive in events." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Dates arrive in events." },
      ],
    },
  },
);
