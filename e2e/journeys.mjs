// End-to-end journeys of the beifen web UI in a real browser: Debian's chromium driven by
// playwright-core. cmd/beifen's TestUI_Journeys starts the server, seeds a team and runs this;
// run it by hand the same way (see README). Every journey fails on a request to any host but
// beifen's and on any console error.
//
// Environment: BEIFEN_URL (the server), BEIFEN_HELPER (the test's code and clock helper),
// BEIFEN_FIXTURES (files to upload), BEIFEN_OUT (where downloads go), CHROMIUM (the browser),
// BEIFEN_SCREENSHOTS (a folder: also take the README screenshots there).
import { chromium } from "playwright-core";
import { strict as assert } from "node:assert";
import path from "node:path";
import fs from "node:fs";

const BASE = process.env.BEIFEN_URL;
const HELPER = process.env.BEIFEN_HELPER;
const FIXTURES = process.env.BEIFEN_FIXTURES;
const OUT = process.env.BEIFEN_OUT;
const SHOTS = process.env.BEIFEN_SCREENSHOTS || "";
const PERSON = process.env.BEIFEN_PERSON; // a new user, signs up here
const STAFF = process.env.BEIFEN_STAFF;
const MANAGER = process.env.BEIFEN_MANAGER;
const OPERATOR = process.env.BEIFEN_OPERATOR;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
});

// newContext opens a browser context that records every request leaving for another host and
// every console error, for check() at the end of the journey.
async function newContext(opts = {}) {
  const ctx = await browser.newContext({ locale: "zh-CN", viewport: PHONE, acceptDownloads: true, ...opts });
  const host = new URL(BASE).host;
  ctx.problems = [];
  ctx.on("request", (req) => {
    const u = new URL(req.url());
    if (u.protocol === "data:" || u.protocol === "blob:") return;
    if (u.host !== host) ctx.problems.push("request to another host: " + req.url());
  });
  ctx.on("response", (resp) => { if (resp.status() >= 500) ctx.problems.push(`server error ${resp.status()}: ${resp.url()}`); });
  ctx.on("console", (msg) => { if (msg.type() === "error") ctx.problems.push("console error: " + msg.text()); });
  ctx.on("weberror", (err) => ctx.problems.push("page error: " + err.error().message));
  ctx.on("page", (page) => page.on("load", async () => {
    try { ctx.problems.push(...(await audit(page))); } catch (e) { /* the page moved on */ }
  }));
  return ctx;
}

function check(ctx) {
  assert.deepEqual(ctx.problems, [], "no other hosts, no console errors, every control labelled");
}

// audit records what a keyboard or screen-reader user would miss on the page: a form control
// without a label, a picture without alt text, a button or link without a name.
async function audit(page) {
  const found = await page.evaluate(() => {
    const out = [];
    const named = (el) => (el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || "").trim() !== "";
    for (const el of document.querySelectorAll("input, select, textarea")) {
      if (el.type === "hidden") continue;
      const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest("label") || el.getAttribute("aria-label");
      if (!labelled) out.push("unlabelled " + el.tagName.toLowerCase() + " " + (el.name || el.id));
    }
    for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) out.push("img without alt " + el.src);
    for (const el of document.querySelectorAll("a[href], button")) if (!named(el) && !el.querySelector("img[alt]")) out.push("unnamed " + el.outerHTML.slice(0, 80));
    if (!document.documentElement.lang) out.push("no lang on <html>");
    return out;
  });
  return found.map((f) => page.url().replace(BASE, "") + ": " + f);
}

async function helper(p) {
  const r = await fetch(HELPER + p);
  assert.equal(r.status, 200, "helper " + p);
  return (await r.text()).trim();
}

// signIn goes through the sign-in page with a texted code and lands past it.
async function signIn(page, phone) {
  await page.goto(BASE + "/");
  await page.waitForURL(/\/signin/);
  await page.fill("#phone", phone);
  await page.click("form[action='/signin/code'] button[type=submit]");
  await page.waitForSelector("#code");
  const code = await helper("/code?phone=" + phone);
  await page.fill("#code", code);
  await page.click("form[action='/signin'] button[type=submit]");
  await page.waitForLoadState("load");
}

async function acceptWelcome(page) {
  await page.waitForURL(/\/welcome/);
  await page.click("form[action='/welcome'] button.primary");
  await page.waitForURL(/\/app$/);
}

const journeys = [];
function journey(name, fn) { journeys.push({ name, fn }); }
const state = {};

journey("sign up with a code and accept the policy", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, PERSON);
  await page.waitForURL(/\/welcome/);
  // The policy is shown, in Chinese for a Chinese browser, and nothing is pre-ticked.
  assert.match(await page.textContent("article.policy"), /隐私政策/);
  const boxes = await page.$$("input[name=purpose]");
  assert.ok(boxes.length >= 3, "optional purposes are offered");
  for (const b of boxes) assert.equal(await b.isChecked(), false, "nothing pre-ticked");
  await page.check("input[name=purpose][value=statistics]");
  await acceptWelcome(page);
  assert.match(await page.textContent("h1"), /我的备份/);
  // The policy is one tap away from every page.
  await page.click("footer a[href='/policy']");
  await page.waitForURL(/\/policy$/);
  assert.match(await page.textContent("h1"), /隐私政策/);
  state.person = await ctx.storageState();
  check(ctx);
  await ctx.close();
});

journey("upload an export and read a conversation with an emoji and an MMS image", async () => {
  const ctx = await newContext({ storageState: state.person });
  const page = await ctx.newPage();
  await page.goto(BASE + "/app");
  await page.setInputFiles("#upload-file", [path.join(FIXTURES, "sms.xml"), path.join(FIXTURES, "contacts.vcf"), path.join(FIXTURES, "voice.wav"), path.join(FIXTURES, "IMG_20261101_093000.jpg")]);
  await page.waitForURL(/\/app\/s\/\d+$/, { timeout: 30000 });
  state.snapshotURL = page.url();
  await page.click("nav.tabs a[href$='/messages']");
  await page.waitForSelector("ul.conversations a");
  assert.match(await page.textContent("ul.conversations"), /王小明/, "named from the contacts");
  await page.click("ul.conversations a");
  await page.waitForSelector("ol.thread");
  const text = await page.textContent("ol.thread");
  assert.ok(text.includes("你好 😀 see you"), "emoji intact: " + text);
  const img = await page.waitForSelector("ol.thread img");
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, img);
  assert.equal(await img.evaluate((el) => el.naturalWidth), 160, "the MMS picture decodes");
  check(ctx);
  await ctx.close();
});

journey("play a recording", async () => {
  const ctx = await newContext({ storageState: state.person });
  const page = await ctx.newPage();
  await page.goto(state.snapshotURL + "/files");
  // The gallery shows a preview made on the server, not the 1600×1200 photo.
  const thumb = await page.waitForSelector(".gallery img");
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, thumb);
  assert.deepEqual(await thumb.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [320, 240], "a thumbnail");
  const audio = await page.waitForSelector("audio");
  await audio.evaluate((el) => { el.muted = true; return el.play(); });
  await page.waitForFunction((el) => el.currentTime > 0.2, audio, { timeout: 15000 });
  assert.ok(await audio.evaluate((el) => el.duration > 2), "the whole recording is there");
  // Seeking asks for a range and plays on from there.
  await audio.evaluate((el) => { el.currentTime = 2; });
  await page.waitForFunction((el) => el.currentTime >= 2, audio);
  check(ctx);
  await ctx.close();
});

journey("download a restore", async () => {
  const ctx = await newContext({ storageState: state.person });
  const page = await ctx.newPage();
  await page.goto(state.snapshotURL);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#restore-download")]);
  const file = path.join(OUT, "restore.zip");
  await download.saveAs(file);
  assert.ok(fs.statSync(file).size > 100, "a zip came down");
  console.log("DOWNLOAD restore " + file);
  check(ctx);
  await ctx.close();
});

journey("a manager imports leads and starts a task", async () => {
  const ctx = await newContext({ viewport: DESKTOP });
  const page = await ctx.newPage();
  await signIn(page, MANAGER);
  await acceptWelcome(page);
  await page.click("header nav a[href='/manage']");
  await page.setInputFiles("#leadfile", path.join(FIXTURES, "leads.txt"));
  await page.click("form[action='/manage/import'] button[type=submit]");
  const status = await page.textContent("p[role=status]");
  assert.match(status, /新增 2 条.*拒绝 1 行/, "the import result: " + status);
  assert.ok(await page.$("a[href$='/rejected.csv']"), "the rejected rows to download");
  await page.fill("#tname", "十一月回访");
  await page.fill("#wfrom", "00:00");
  await page.fill("#wto", "00:00"); // to midnight: all day
  await page.click("#task-form button[type=submit]");
  await page.waitForSelector("p.flash");
  assert.match(await page.textContent("table.grid"), /十一月回访/);
  await page.click("a[href='/manage/leads']");
  await page.click("table.grid a[href^='/manage/leads/']");
  assert.match(await page.textContent("h1"), /王先生|李女士/, "a customer's timeline");
  state.manager = await ctx.storageState();
  check(ctx);
  await ctx.close();
});

journey("a staff member takes the next lead, logs the outcome, and the lead never comes back", async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  await signIn(page, STAFF);
  await acceptWelcome(page);
  await page.click("header nav a[href='/staff']");
  await page.click("ul.list a[href^='/staff/t/']");
  const seen = [];
  for (let i = 0; ; i++) {
    await page.click("#next-lead");
    await page.waitForLoadState("load");
    if (await page.$("#no-more")) break;
    const dial = await page.getAttribute("#dial", "href");
    assert.match(dial, /^tel:\+86\d{11}$/, "one tap to dial");
    assert.ok(!seen.includes(dial), "a logged lead never comes back: " + dial);
    seen.push(dial);
    console.log("LEAD " + dial);
    await page.check(i === 0 ? "input[name=outcome][value=connected]" : "input[name=outcome][value=callback]");
    if (i === 1) { // the second asks to be called back tomorrow at ten
      const t = new Date(Date.now() + 24 * 3600 * 1000);
      const pad = (n) => String(n).padStart(2, "0");
      await page.fill("#follow", `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T10:00`);
    }
    if (i === 0) {
      await page.check("input[name=intent][value=A]");
      await page.fill("#note", "想要报价");
      await page.fill("#talk", "42");
      await page.setInputFiles("#rec", path.join(FIXTURES, "call.wav"));
      await page.check("#via-phone"); // the after-call text goes from the staff member's phone
    }
    await page.click("#save-outcome");
    if (i === 0) {
      const sms = await page.getAttribute("#send-text", "href");
      assert.ok(sms.startsWith("sms:" + dial.slice(4) + "?body="), "an sms: link to the number: " + sms);
      assert.match(decodeURIComponent(sms), /您好，我是张三.*回复TD退订/, "the team's text with the opt-out line");
      await page.click("#after-text");
    }
    await page.waitForSelector("p.flash");
    assert.ok(i < 10, "the task runs dry");
  }
  assert.equal(seen.length, 2, "both leads were handed out once");
  // The callback waits on the staff page with its time.
  await page.goto(BASE + "/staff");
  assert.match(await page.textContent("#callbacks"), /(王先生|李女士).*10:00/, "my callbacks");
  check(ctx);
  await ctx.close();
});

journey("a manager scores that call's recording", async () => {
  const ctx = await newContext({ viewport: DESKTOP, storageState: state.manager });
  const page = await ctx.newPage();
  await page.goto(BASE + "/manage");
  assert.ok(await page.$("svg.chart rect"), "calls per day drawn on the server");
  assert.match(await page.textContent("tr[data-task] .progress"), /已拨 2，接通 1/, "task progress");
  const status = await page.evaluate(() => fetch("/api/v1/tasks/" + document.querySelector("tr[data-task]").dataset.task + "/report").then((r) => r.status));
  assert.equal(status, 200, "the page can follow the task's progress");
  // Two calls by the one staff member, one connected for 42 s: 50 % and 1 minute.
  assert.match(await page.textContent("svg[aria-labelledby=rate-h]"), /50%/, "connect rate per staff member");
  assert.match(await page.textContent("svg[aria-labelledby=talk-h]"), /1/, "talk time per staff member");
  await page.click("a[href^='/manage/recordings/']");
  const audio = await page.waitForSelector("#player");
  await audio.evaluate((el) => { el.muted = true; return el.play(); });
  await page.waitForFunction((el) => el.currentTime > 0.2, audio, { timeout: 15000 });
  await audio.evaluate((el) => { el.pause(); el.currentTime = 1.5; });
  await page.waitForFunction((el) => el.currentTime >= 1.5, audio);
  await page.fill("#item0", "90");
  await page.fill("#item1", "80");
  await page.fill("#item2", "100");
  await page.click("#c-now");
  assert.equal(await page.inputValue("#c-at"), "1");
  await page.fill("#c-text", "开场很好");
  await page.click("#review-form button[type=submit]");
  const result = await page.textContent("#review-result");
  assert.match(result, /89/, "weighted score 0.3×90+0.4×80+0.3×100 = 89: " + result);
  check(ctx);
  await ctx.close();
});

journey("a user files a complaint with a photo; an operator answers it from the console", async () => {
  const ctx = await newContext({ storageState: state.person });
  const page = await ctx.newPage();
  await page.goto(BASE + "/privacy");
  await page.click("main a[href='/privacy/complaints']");
  await page.fill("#ctext", "备份的照片顺序不对\n请帮忙看看");
  await page.setInputFiles("#cphotos", path.join(FIXTURES, "IMG_20261101_093000.jpg"));
  await page.check("#ccamera"); // photos need the camera purpose: off until ticked here
  await page.click("form[action='/privacy/complaints'] button[type=submit]");
  await page.waitForSelector("p.flash");
  const mine = await page.textContent("main");
  assert.match(mine, /答复期限/, "the deadline is shown: " + mine);

  const ops = await newContext({ viewport: DESKTOP });
  const op = await ops.newPage();
  await signIn(op, OPERATOR);
  await acceptWelcome(op);
  await op.click("header nav a[href='/ops']");
  assert.match(await op.textContent("main"), /统计在内 1 个账户（共 \d+ 个）/, "only the consenting account is counted");
  assert.match(await op.textContent("main"), /1 \/ 1 已完成首次备份/, "activation");
  assert.ok(await op.$("svg.chart rect"), "the statistics drawn as SVG");
  assert.match(await op.textContent("#complaints"), /备份的照片顺序不对/);
  await op.fill("#complaints textarea", "已修复，请重新备份。");
  await op.click("#complaints form button[type=submit]");
  await op.waitForSelector("p.flash");
  check(ops);
  await ops.close();

  await page.reload();
  assert.match(await page.textContent("main"), /已修复，请重新备份。/, "the user sees the answer");
  check(ctx);
  await ctx.close();
});

journey("a user deletes a contact from their whole history and asks the operator a question", async () => {
  const ctx = await newContext({ storageState: state.person });
  const page = await ctx.newPage();
  await page.goto(state.snapshotURL + "/contacts");
  assert.match(await page.textContent("ul.contacts"), /王小明/);
  await page.click("ul.contacts details.delete summary");
  await page.click("ul.contacts details.delete button[type=submit]");
  await page.waitForSelector("p.flash");
  assert.doesNotMatch(await page.textContent("ul.contacts"), /王小明/, "gone from the snapshot");
  await page.goto(BASE + "/privacy");
  await page.selectOption("#rq-kind", "explain");
  await page.fill("#rq-detail", "我的通话录音保存多久？");
  await page.click("form[action='/privacy/requests'] button[type=submit]");
  await page.waitForSelector("p.flash");
  const requests = await page.textContent("#requests");
  assert.match(requests, /我的通话录音保存多久？/, "the request is listed");
  assert.match(requests, /删除指定数据/, "the deletion is on record as a request");
  check(ctx);
  await ctx.close();
});

journey("a user downloads their data and requests account deletion", async () => {
  const ctx = await newContext({ storageState: state.person, locale: "en-US" });
  const page = await ctx.newPage();
  await page.goto(BASE + "/privacy");
  assert.match(await page.textContent("h1"), /Privacy centre/, "English for an English browser");
  // Correct the profile (every field optional), then download everything.
  await page.fill("#nickname", "小李");
  await page.selectOption("#gender", "female");
  await page.click("form[action='/privacy/profile'] button[type=submit]");
  await page.waitForSelector("p.flash");
  assert.equal(await page.inputValue("#nickname"), "小李");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-download")]);
  const file = path.join(OUT, "my-data.zip");
  await download.saveAs(file);
  console.log("DOWNLOAD mydata " + file);
  await helper("/advance?seconds=61"); // the sign-in code went out less than a minute ago
  await page.click("form[action='/privacy/deletion/code'] button");
  await page.waitForSelector("#del-code");
  await page.fill("#del-code", await helper("/code?phone=" + PERSON));
  await page.click("form[action='/privacy/deletion'] button");
  await page.waitForSelector("#deletion-pending");
  assert.match(await page.textContent("#deletion-pending"), /erased on/);
  assert.ok(await page.$("form[action='/privacy/deletion/cancel'] button"), "cancellable");
  check(ctx);
  await ctx.close();
});

// screenshots takes the README pictures: the main pages at a phone and a desktop size, in both
// languages.
async function screenshots() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const pages = [
    ["signin", "/signin", null],
    ["backup", "/app", state.person],
    ["conversation", null, state.person],
    ["privacy", "/privacy", state.person],
    ["policy", "/policy", null],
  ];
  for (const [lang, locale] of [["zh", "zh-CN"], ["en", "en-US"]]) {
    for (const [size, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
      for (const [name, p, storage] of pages) {
        const ctx = await newContext({ locale, viewport, ...(storage ? { storageState: storage } : {}) });
        const page = await ctx.newPage();
        let url = BASE + p;
        if (name === "conversation") {
          await page.goto(state.snapshotURL + "/messages");
          url = BASE + (await page.getAttribute("ul.conversations a", "href"));
        }
        await page.goto(url);
        await page.screenshot({ path: path.join(SHOTS, `${name}-${size}-${lang}.png`), fullPage: size === "desktop" });
        check(ctx);
        await ctx.close();
      }
    }
  }
}

let failed = 0;
for (const j of journeys) {
  const t0 = Date.now();
  try {
    await j.fn();
    console.log(`ok   ${j.name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${j.name}: ${err.stack || err}`);
    if (j.name.startsWith("sign up")) break; // everything after needs the account
  }
}
if (SHOTS && !failed) {
  try { await screenshots(); console.log("ok   screenshots in " + SHOTS); } catch (err) { failed++; console.log("FAIL screenshots: " + (err.stack || err)); }
}
await browser.close();
process.exit(failed ? 1 : 0);
