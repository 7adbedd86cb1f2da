// Generates realistic answers files for a form, for the inbox's browser tests, the Rust tests
// of `formwerk answers` and the benchmarks:
//   node tests/answers/generate.mjs FORM_PAGE.html OUT_DIR [--count 50] [--seed 1] [--old-version V] [--encrypted]
// FORM_PAGE.html is a built form page; its embedded model (#formwerk-model) says which
// questions there are. Files are sealed with the theme's own answers-file.js (format 2).
// --encrypted (a form with `[submission] encrypt_to`): every file is written as the page's
// encrypted submission instead, `<name>.jwe`, made by the theme's own seal.js with Web Crypto
// to the public key in the page's model, as "Verschlüsselt für die Einreichung speichern" does.
// Beside `count` municipalities' files (current and older form version, some saved before
// checksums existed, some incomplete, long texts with umlauts, one "=HYPERLINK(…)" text) it
// writes one damaged file, one of another form, one with a checksum mismatch, one with a
// format version from the future and one duplicate municipality. OUT_DIR/manifest.json
// lists every file with the status the inbox and the command line must give it.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");

export function loadAnswersApi() {
  const sandbox = { window: {}, TextEncoder, crypto: globalThis.crypto, isSecureContext: true };
  vm.runInNewContext(fs.readFileSync(path.join(repo, "crates/render/theme/static/answers-file.js"), "utf8"), sandbox);
  return sandbox.window.FormwerkAnswers;
}

/** The theme's seal.js (the page's encryption), run on Node's Web Crypto. */
export function loadSealApi() {
  const window = { crypto: globalThis.crypto };
  const sandbox = { window, TextEncoder, TextDecoder, btoa, atob, Uint8Array, Promise };
  vm.runInNewContext(fs.readFileSync(path.join(repo, "crates/render/theme/static/seal.js"), "utf8"), sandbox);
  return window.FormwerkSeal;
}

export function readModel(formPage) {
  const html = fs.readFileSync(formPage, "utf8");
  const m = html.match(/<script type="application\/json" id="formwerk-model">([\s\S]*?)<\/script>/);
  if (!m) throw new Error(`no form model in ${formPage}`);
  return JSON.parse(m[1]);
}

const PLACES = [
  "Landkreis Göttingen", "Region Hannover", "Stadt Osnabrück", "Landkreis Lüneburg", "Stadt Braunschweig",
  "Landkreis Emsland", "Stadt Oldenburg", "Landkreis Osterholz", "Landkreis Harburg", "Stadt Wolfsburg",
  "Landkreis Celle", "Landkreis Gifhorn", "Stadt Salzgitter", "Landkreis Hameln-Pyrmont", "Landkreis Hildesheim",
  "Landkreis Nienburg/Weser", "Landkreis Schaumburg", "Landkreis Diepholz", "Landkreis Cloppenburg", "Landkreis Vechta",
  "Landkreis Aurich", "Stadt Emden", "Landkreis Leer", "Landkreis Wittmund", "Landkreis Friesland",
  "Stadt Wilhelmshaven", "Landkreis Ammerland", "Landkreis Wesermarsch", "Stadt Delmenhorst", "Landkreis Oldenburg",
  "Landkreis Cuxhaven", "Landkreis Stade", "Landkreis Rotenburg (Wümme)", "Landkreis Verden", "Heidekreis",
  "Landkreis Uelzen", "Landkreis Lüchow-Dannenberg", "Landkreis Peine", "Landkreis Wolfenbüttel", "Landkreis Helmstedt",
  "Landkreis Goslar", "Landkreis Northeim", "Landkreis Holzminden", "Landkreis Grafschaft Bentheim", "Landkreis Osnabrück",
  "Stadt Göttingen", "Stadt Hildesheim", "Stadt Celle", "Stadt Lingen (Ems)", "Stadt Hameln",
];
const FIRST = ["Jürgen", "Özlem", "Björn", "Ayşe", "Käthe", "Sören", "Müzeyyen", "Grégoire", "Zoë", "Hüseyin"];
const LAST = ["Müller", "Schäfer", "Öztürk", "Groß", "Weißenböck", "Kröger", "Yılmaz", "Lütke-Dörhoff", "Brüggemann", "Çelik"];
const WORDS = (
  "Die Bestandsaufnahme wird gemeinsam mit den Migrantenselbstorganisationen fortgeschrieben; " +
  "Schwerpunkte sind Sprachförderung, Übergänge in Ausbildung und Arbeitsmarkt, gesundheitliche Versorgung " +
  "und Teilhabe älterer Zugewanderter. Die Koordinierungsstelle führt Gespräche mit Trägern, Jobcenter, " +
  "Ausländerbehörde und Schulen, wertet Daten des Landesamts für Statistik aus und stellt Ergebnisse im " +
  "Ausschuss für Soziales vor. Für das nächste Jahr sind Workshops zu Diskriminierungsschutz, Wohnraum " +
  "und Anerkennung ausländischer Berufsabschlüsse geplant – „niedrigschwellig“, mehrsprachig und barrierefrei."
).split(" ");

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(r, length) {
  let out = "";
  let i = Math.floor(r() * WORDS.length);
  while (out.length < length) {
    out += (out ? " " : "") + WORDS[i++ % WORDS.length];
  }
  return out.slice(0, length);
}

function shown(model, byId, f, answers) {
  if (!f.show_if) return true;
  const v = answers[f.show_if.field];
  if (v === undefined) return false;
  if (Array.isArray(v)) return v.includes(f.show_if.equals);
  return String(v) === f.show_if.equals;
}

function answersFor(model, r, place, n, long) {
  const byId = Object.fromEntries(model.fields.map((f) => [f.id, f]));
  const answers = {};
  for (const f of model.fields) {
    if (!shown(model, byId, f, answers)) continue;
    let v;
    switch (f.kind) {
      case "text":
        if (f.id === model.identify) v = place;
        else if (/mail/.test(f.id)) v = `koordinierung${n}@kommune-${n}.example`;
        else if (/telefon/.test(f.id)) v = `0511 ${120000 + n}`;
        else v = `${FIRST[n % FIRST.length]} ${LAST[(n * 7) % LAST.length]}`;
        if (f.max_length) v = v.slice(0, f.max_length);
        break;
      case "textarea":
        v = f.id === "anschrift" ? `Am Marktplatz ${n}\n${30000 + n * 17} ${place.replace(/^(Landkreis|Stadt|Region) /, "")}` : text(r, long ? 2000 : 80 + Math.floor(r() * 400));
        break;
      case "yes_no":
        v = r() < 0.6;
        break;
      case "choice":
        v = f.options[Math.floor(r() * f.options.length)];
        break;
      case "multi_choice": {
        v = f.options.filter(() => r() < 0.45);
        if (f.other && r() < 0.3) {
          v.push("other");
          answers[f.id + ".other"] = "Wohnen und Stadtteilarbeit in Übergangsunterkünften";
        }
        if (!v.length) v = [f.options[0]];
        break;
      }
      case "entry_list":
        v = Array.from({ length: Math.min(f.lines, 1 + Math.floor(r() * f.lines)) }, (_, i) => `Handlungsfeld ${i + 1}: ${text(r, 30)}`);
        break;
      case "date":
        v = `2026-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`;
        break;
      case "number":
        v = Math.round((f.min ?? 0) + r() * ((f.max ?? 1000) - (f.min ?? 0)));
        break;
    }
    if (v !== undefined) answers[f.id] = v;
  }
  return answers;
}

function savedAt(n) {
  const d = new Date(Date.UTC(2026, 1, 1, 8, 0, 0) + n * 3_600_000 * 7);
  return d.toISOString();
}

function olderVersion(version) {
  const m = /^(\d{4})(.*)$/.exec(version);
  return m ? `${Number(m[1]) - 1}${m[2]}` : `${version}-alt`;
}

/** Writes the files; returns the manifest [{file, status, identify, version, integrity}]. */
export async function generate(formPage, outDir, { count = 50, seed = 1, oldVersion, encrypted = false } = {}) {
  const api = loadAnswersApi();
  const model = readModel(formPage);
  if (encrypted && !model.encrypt) throw new Error(`${formPage}: the form has no [submission] encrypt_to`);
  const seal = encrypted ? loadSealApi() : null;
  const r = rng(seed);
  const old = oldVersion || olderVersion(model.version);
  const required = model.fields.filter((f) => f.required && !f.show_if && f.id !== model.identify);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const manifest = [];
  const pending = [];
  const write = (name, body, entry) => {
    if (!seal) {
      fs.writeFileSync(path.join(outDir, name), body);
      manifest.push({ file: name, ...entry });
      return;
    }
    // As sealed-submission.js: the answers file's text, encrypted, named `<stem>.jwe`.
    const sealedName = name.replace(/\.json$/, "") + ".jwe";
    manifest.push({ file: sealedName, ...entry });
    pending.push(seal.encrypt(model.encrypt.jwk, new TextEncoder().encode(body)).then((jwe) => fs.writeFileSync(path.join(outDir, sealedName), jwe)));
  };
  let hyperlinkDone = false;
  for (let n = 0; n < count; n++) {
    const place = n < PLACES.length ? PLACES[n] : `${PLACES[n % PLACES.length]} ${Math.floor(n / PLACES.length) + 1}`;
    const long = n % 5 === 0;
    const answers = answersFor(model, r, place, n, long);
    let version = model.version;
    let status = "complete";
    if (n % 6 === 5) {
      // The older version asked one question the current one no longer has.
      version = old;
      answers.zusammenarbeit_netzwerk = `Netzwerktreffen viermal jährlich (${place})`;
    }
    if (n % 9 === 4 && required.length) {
      delete answers[required[n % required.length].id];
      status = "incomplete";
    }
    if (!hyperlinkDone && model.fields.some((f) => f.kind === "textarea" && f.id !== "anschrift")) {
      const f = model.fields.find((x) => x.kind === "textarea" && x.id !== "anschrift" && answers[x.id] !== undefined);
      if (f) {
        answers[f.id] = '=HYPERLINK("http://example.invalid/x","Klick")';
        hyperlinkDone = true;
      }
    }
    const data = { form: model.id, version, saved_at: savedAt(n), answers };
    const legacy = n % 7 === 3;
    const body = legacy ? data : await api.seal(data);
    const name = `${String(n + 1).padStart(4, "0")}-${place.toLowerCase().replace(/[^a-z0-9äöüß]+/g, "-")}.json`;
    write(name, JSON.stringify(body, null, 2) + "\n", {
      status,
      identify: place,
      version,
      integrity: legacy ? "missing" : "valid",
    });
  }
  // The special cases.
  const base = { form: model.id, version: model.version, saved_at: savedAt(count), answers: answersFor(model, r, PLACES[0], 0, false) };
  write("beschaedigt.json", JSON.stringify(await api.seal(base)).slice(0, 200), { status: "invalid", reason: "malformed" });
  write("anderes-formular.json", JSON.stringify(await api.seal({ ...base, form: "verwendungsnachweis" })), {
    status: "invalid",
    reason: "foreign",
  });
  const altered = await api.seal({ ...base, answers: { ...base.answers } });
  altered.answers[model.identify] = "Landkreis Nachträglich Geändert";
  write("veraendert.json", JSON.stringify(altered), { status: "invalid", reason: "checksum_mismatch", integrity: "mismatch" });
  write("zukunft.json", JSON.stringify({ ...(await api.seal(base)), format_version: 3 }), {
    status: "invalid",
    reason: "format_version",
  });
  const dup = { ...base, saved_at: savedAt(count + 1), answers: answersFor(model, r, PLACES[1], 1, false) };
  write("doppelt-region-hannover.json", JSON.stringify(await api.seal(dup), null, 2), {
    status: "complete",
    identify: PLACES[1],
    version: model.version,
    integrity: "valid",
    duplicate: true,
  });
  manifest.find((m) => m.identify === PLACES[1] && m.file !== "doppelt-region-hannover.json").duplicate = true;
  // Hostile: keys that are special in JavaScript, markup in keys, values and the file name.
  const hostile = JSON.parse(
    JSON.stringify({ ...base, saved_at: "<img src=x onerror=alert(1)>" }).replace(
      '"answers":{',
      '"answers":{"__proto__":{"polluted":true},"constructor":"x","<img src=x onerror=alert(2)>":"<script>alert(3)</script>",',
    ),
  );
  hostile.answers[model.identify] = "<b>Landkreis</b> constructor";
  write("<img src=x onerror=alert(4)>.json", JSON.stringify(await api.seal(hostile)), {
    status: "wrong",
    identify: "<b>Landkreis</b> constructor",
    version: model.version,
    integrity: "valid",
  });
  await Promise.all(pending);
  fs.writeFileSync(path.join(outDir, "manifest.json.txt"), JSON.stringify(manifest, null, 1));
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [formPage, outDir, ...rest] = process.argv.slice(2);
  if (!formPage || !outDir) {
    console.error("usage: node tests/answers/generate.mjs FORM_PAGE.html OUT_DIR [--count 50] [--seed 1] [--old-version V] [--encrypted]");
    process.exit(2);
  }
  const opt = (name, dflt) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : dflt;
  };
  const manifest = await generate(formPage, outDir, {
    count: Number(opt("--count", 50)),
    seed: Number(opt("--seed", 1)),
    oldVersion: opt("--old-version"),
    encrypted: rest.includes("--encrypted"),
  });
  console.log(`${manifest.length} files in ${outDir}`);
}
