// "Gesamtdokument drucken": the bundled site's print-all document printed to PDF holds all
// guidance and the blank form, each chapter on a new page.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, it } from "node:test";
import * as h from "./helpers.js";

const env = h.withBundledSite({ before, after });

it("prints all guidance and the blank form", async () => {
  const page = await h.openPage(env.browser, h.fileUrl(env.bundled, "gesamtdokument.html"));
  assert.equal(await page.isVisible("[data-print-page]"), true);
  const text = h.squash(await h.printToText(page, "gesamtdokument"));
  for (const s of [
    "Die Bestandsaufnahme ist jährlich zu aktualisieren.",
    "Mitarbeit im Regionalverbund der Kooperativen Migrationsarbeit Niedersachsen (KMN).",
    "Das Handlungskonzept enthält Leitgrundsätze zur Integration",
    "Die Aktualisierung der Bestandsaufnahme ist in 2026 geplant.",
    "☐ Sonstiges – ggfs. eintragen",
    "☐ Bekämpfung von Antisemitismus und Rassismus",
  ]) {
    assert.ok(text.includes(s), `PDF lacks ${s}`);
  }
  assert.ok(!text.includes("☒"), "the form must be blank");
  assert.ok(!text.includes("Gesamtdokument drucken"), "no buttons in print");
  // Six chapters, each starting a new page, after the contents.
  const info = execFileSync("pdfinfo", [path.join(h.artifacts, "gesamtdokument.pdf")], { encoding: "utf8" });
  assert.ok(Number(info.match(/Pages:\s+(\d+)/)[1]) >= 7, info);
  await page.context().close();
});
