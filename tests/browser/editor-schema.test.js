// Editors' completion and checking through Taplo, the TOML language server behind VS Code's
// "Even Better TOML" (and Helix, Neovim, Zed): its command line (@taplo/cli, the same engine)
// finds a new site's .taplo.toml, resolves the schemas by their relative paths without any
// network, accepts the files as `formwerk init` writes them and the bundled site, and
// underlines an unknown key, an unknown field kind and a value of the wrong type.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { binary, repo } from "./helpers.js";

const taplo = path.join(repo, "tests", "browser", "node_modules", ".bin", "taplo");

function check(cwd, files = []) {
  const run = spawnSync(taplo, ["check", "--colors", "never", ...files], {
    cwd,
    encoding: "utf8",
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

test("a new site's files pass Taplo's schema check; mistakes are underlined", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "formwerk-taplo-"));
  const site = path.join(dir, "neu");
  execFileSync(binary, ["init", site], { stdio: "pipe" });

  const clean = check(site);
  assert.equal(clean.status, 0, clean.output);
  assert.match(clean.output, /found configuration file/);

  const form = path.join(site, "content", "beispiel.form.toml");
  const text = fs.readFileSync(form, "utf8");
  fs.writeFileSync(
    form,
    text
      .replace('kind = "yes_no"', 'kind = "ja_nein"')
      .replace('label = "Name"', 'lable = "Name"')
      .replace("required = true", 'required = "ja"'),
  );
  const config = path.join(site, "formwerk.toml");
  fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace('theme = "default"', "theme = 3"));

  const broken = check(site);
  assert.notEqual(broken.status, 0, broken.output);
  for (const wanted of [
    /'lable' was unexpected/,
    /"ja_nein" is not one of \["text","textarea","yes_no"/,
    /"ja" is not of type "boolean"/,
    /3 is not of type "string"/,
    /beispiel\.form\.toml:18:8/,
    /formwerk\.toml:4:9/,
  ]) {
    assert.match(broken.output, wanted);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the bundled site passes Taplo's schema check with the repository's .taplo.toml", () => {
  const files = ["formwerk.toml"];
  for (const entry of fs.readdirSync(path.join(repo, "content"), { recursive: true })) {
    if (entry.endsWith(".form.toml")) files.push(path.join("content", entry));
  }
  assert.ok(files.length > 1, "the bundled site has forms");
  const result = check(repo, files);
  assert.equal(result.status, 0, result.output);
});
