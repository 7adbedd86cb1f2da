// Opening a Formwerk PDF in pdf.js (Firefox's reader) with its own QuickJS scripting sandbox,
// as the viewer does: values typed and committed as a person leaves a field, what the reader
// shows, keeps and says. Shared by the tests of this folder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { QuickJSSandbox } from "pdfjs-dist/legacy/build/pdf.sandbox.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");

/** The field of the form's [[checks]]: the reader lists the messages of those that fail. */
export const CHECKS = "formwerk-pruefung";

export function pdfTool(...args) {
  return execFileSync("python3", [path.join(repo, "tests/pdf/pdf_tool.py"), ...args], { encoding: "utf8" });
}

/** Fills `values` ({name: text or /state}) into `pdf` with pypdf, as another program would. */
export function fill(pdf, out, values) {
  const json = out + ".json";
  fs.writeFileSync(json, JSON.stringify(values));
  pdfTool("fill", pdf, out, json);
}

/** A window for pdf.js's sandbox: its messages, the alerts the PDF's scripts show (a value
 * refused), and no other dialog ever. */
function sandboxWindow() {
  const win = new EventTarget();
  const refuse = (what) => () => {
    throw new Error(`the PDF's script opened ${what}`);
  };
  Object.assign(win, {
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    CustomEvent,
    URL,
    console: { log: refuse("console.log"), error: (e) => win.errors.push(String(e)) },
    alert: (message) => win.alerts.push(message),
    confirm: refuse("a confirm"),
    prompt: refuse("a prompt"),
    errors: [],
    alerts: [],
  });
  return win;
}

/**
 * Opens `pdf` in pdf.js with scripting, commits each typed [name, text] in turn (as a person
 * leaves a field) and returns what each field shows, by name (its formatted value where it
 * has one), which typed texts the reader kept (`kept`: the text, or "" where refused), and
 * the alerts each commit showed (`alerts`: [name, text, message]). `keys`: [name, character]
 * typed into an empty field first (`letIn`: [name, character, whether the reader let it
 * in]); `after`: the document's events then ("WillPrint"), their alerts as ["doc", event,
 * message].
 */
export async function typeInPdfjs(pdf, typed, keys = [], after = []) {
  const win = sandboxWindow();
  globalThis.window = win;
  const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(pdf)) }).promise;
  const objects = await doc.getFieldObjects();
  const calculationOrder = await doc.getCalculationOrderIds();
  const actions = await doc.getJSActions();
  const names = Object.fromEntries(Object.entries(objects).flatMap(([name, objs]) => objs.map((o) => [o.id, name])));
  const shown = {};
  const raw = {};
  const messages = [];
  win.addEventListener("updatefromsandbox", (e) => {
    messages.push(e.detail);
    if (e.detail.command === "error") win.errors.push(e.detail.value);
    else if (e.detail.id in names && "value" in e.detail) {
      const name = names[e.detail.id];
      raw[name] = e.detail.value;
      shown[name] = e.detail.formattedValue ?? e.detail.value;
    }
  });
  const sandbox = await QuickJSSandbox();
  sandbox.create({ objects, calculationOrder, appInfo: { platform: "Linux", language: "de-DE" }, docInfo: { actions } });
  sandbox.dispatchEvent({ id: "doc", name: "Open" });
  // Single keys as a person types them: whether the reader lets each in.
  const letIn = [];
  for (const [name, change] of keys) {
    const before = messages.length;
    sandbox.dispatchEvent({ id: objects[name][0].id, name: "Keystroke", value: "", change, willCommit: false, selStart: 0, selEnd: 0 });
    const answer = messages.slice(before).find((m) => m.id === objects[name][0].id);
    letIn.push([name, change, answer ? answer.value === change : false]);
  }
  const kept = {};
  const alerts = [];
  for (const [name, value] of typed) {
    assert.ok(objects[name], `the PDF has a field ${name}`);
    const before = win.alerts.length;
    delete raw[name];
    sandbox.dispatchEvent({
      id: objects[name][0].id,
      name: "Keystroke",
      value,
      change: "",
      willCommit: true,
      commitKey: 1,
      selStart: 0,
      selEnd: 0,
    });
    kept[name] = raw[name] === "" || raw[name] === undefined ? "" : value;
    for (const message of win.alerts.slice(before)) alerts.push([name, value, message]);
  }
  // Then the document's events, as when a person prints or saves.
  for (const name of after) {
    const before = win.alerts.length;
    sandbox.dispatchEvent({ id: "doc", name });
    for (const message of win.alerts.slice(before)) alerts.push(["doc", name, message]);
  }
  sandbox.nukeSandbox();
  await doc.destroy();
  assert.deepEqual(win.errors, [], "the PDF's scripts ran without an error");
  // The check area is calculated last; it holds messages, no answer.
  const calculated = calculationOrder.map((id) => names[id]).filter((name) => name !== CHECKS);
  return { shown, kept, alerts, letIn, calculated, messages };
}
